using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class YamlQuotingTests
{
    public static TheoryData<string> TrickyStrings() =>
    [
        "on", "On", "ON", "off", "yes", "Yes", "no", "NO", "y", "n", "true", "True", "false", "null", "Null", "~", "",
        "0123", "123", "-1", "+1", "1e3", "1E+3", "0x1F", "0o17", "0b101", "1_000", "1.5", ".5", "1.", ".inf", "-.inf", ".nan", "1:30", "2010-09-09",
        "2001-12-14t21:59:43.10-05:00", "*star", "&anchor", "!bang", "%percent", "@at", "`tick", "key: value", "a #comment", "#start",
        "- dash", "-", "?", "? q", "|pipe", ">fold", "'single'", "\"double\"", "[list]", "{map}", "a, b", "trailing ", " leading",
        "line1\nline2", "line1\nline2\n", "ends with newlines\n\n", "\n", " indented\nsecond", "tab\there", "crlf\r\nline",
        "unicode é ✓ 日本", "control \u0007 bell", "colon:", "arn:aws:s3:::bucket/*", "${AWS::StackName}-x", "10.0.0.0/16", "<<", "=",
        "emoji 😀", "back\\slash", "percent % sign", "!Ref NotATag",
    ];

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void TrickyString_RoundTripsThroughYamlAsTheSameString(string value)
    {
        var template = TemplateWith(value);

        var yaml = template.ToYaml();
        var back = Template.Parse(yaml);

        Assert.True(template.Equals(back), $"'{value}' changed through:\n{yaml}");
    }

    [Theory]
    [MemberData(nameof(TrickyStrings))]
    public void TrickyString_RoundTripsThroughJsonAsTheSameString(string value)
    {
        var template = TemplateWith(value);

        var back = Template.Parse(template.ToJson());

        Assert.Equal(template, back);
    }

    [Theory]
    [InlineData("on")]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("0123")]
    [InlineData("1e3")]
    [InlineData("2010-09-09")]
    [InlineData("true")]
    public void AmbiguousString_IsQuotedInYaml(string value)
    {
        var yaml = TemplateWith(value).ToYaml();

        Assert.Contains($"Value: '{value}'", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*star")]
    [InlineData("&anchor")]
    [InlineData("!bang")]
    [InlineData("%percent")]
    [InlineData("@at")]
    [InlineData("`tick")]
    [InlineData("key: value")]
    [InlineData("a #comment")]
    [InlineData("#start")]
    [InlineData("- dash")]
    [InlineData("? q")]
    [InlineData("|pipe")]
    [InlineData(">fold")]
    [InlineData("[list]")]
    [InlineData("{map}")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData("tab\there")]
    public void GrammarSensitiveString_IsQuotedInYaml(string value)
    {
        var yaml = TemplateWith(value).ToYaml();

        var line = yaml.Split('\n').Single(static l => l.StartsWith("      Value: ", StringComparison.Ordinal));
        Assert.True(line[13] is '\'' or '"', $"Not quoted: {line}");
    }

    [Fact]
    public void MultiLineString_IsWrittenAsLiteralBlock()
    {
        var yaml = TemplateWith("line1\nline2\n").ToYaml();

        Assert.Contains("Value: |\n        line1\n        line2\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void AmbiguousKey_IsQuotedInYaml()
    {
        var template = new Template();
        template.AddResource("A", "AWS::CloudFormation::WaitConditionHandle", new CfnObject { ["on"] = "x", ["123"] = "z" });

        var yaml = template.ToYaml();

        Assert.Contains("'on': x", yaml, StringComparison.Ordinal);
        Assert.Contains("'123': z", yaml, StringComparison.Ordinal);
        Assert.Equal(template, Template.Parse(yaml));
    }

    private static Template TemplateWith(string value)
    {
        var template = new Template { Description = value.Length > 0 ? value : null };
        template.AddResource("A", "AWS::CloudFormation::WaitConditionHandle", new CfnObject
        {
            ["Value"] = value,
            ["InList"] = new CfnList { value, "plain" },
            ["InIntrinsic"] = Fn.Join(value, value, Fn.Ref("AWS::Region")),
            ["InSub"] = Fn.Sub(value),
        });
        return template;
    }
}
