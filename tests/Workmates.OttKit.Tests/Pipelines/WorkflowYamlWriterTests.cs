using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;

namespace Workmates.OttKit.Tests.Pipelines;

public sealed class WorkflowYamlWriterTests
{
    [Theory]
    [InlineData("on")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("20")]
    [InlineData("3.0")]
    [InlineData("1e3")]
    [InlineData("0o17")]
    [InlineData("2026-11-22")]
    [InlineData("")]
    [InlineData(" padded")]
    [InlineData("a: b")]
    [InlineData("#comment")]
    [InlineData("- item")]
    [InlineData("*alias")]
    [InlineData("it's")]
    [InlineData("key:")]
    [InlineData("${{ github.sha }}")]
    [InlineData("10.0.x")]
    [InlineData("arn:aws:iam::123456789012:role/x")]
    public void Strings_read_back_as_the_same_strings(string value)
    {
        var root = new WorkflowMap { ["value"] = value, ["list"] = new WorkflowList([WorkflowScalar.Of(value)]) };

        var parsed = YamlJson.Parse(WorkflowYamlWriter.Write([], root))!;

        Assert.Equal(value, parsed["value"]!.GetValue<string>());
        Assert.Equal(value, parsed["list"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Ambiguous_words_are_quoted_and_plain_words_are_not()
    {
        Assert.Equal("'on'", WorkflowYamlWriter.Scalar("on"));
        Assert.Equal("'22'", WorkflowYamlWriter.Scalar("22"));
        Assert.Equal("'''quoted'", WorkflowYamlWriter.Scalar("'quoted"));
        Assert.Equal("it's", WorkflowYamlWriter.Scalar("it's"));
        Assert.Equal("ubuntu-24.04", WorkflowYamlWriter.Scalar("ubuntu-24.04"));
        Assert.Equal("${{ github.sha }}", WorkflowYamlWriter.Scalar("${{ github.sha }}"));
    }

    [Fact]
    public void Multi_line_strings_become_literal_blocks_that_keep_their_text()
    {
        var script = "set -e\n  indented line\n\necho \"done: $X\" # not a comment\n";
        var root = new WorkflowMap { ["run"] = script, ["no-final-newline"] = "a\nb" };

        var yaml = WorkflowYamlWriter.Write(["header"], root);
        var parsed = YamlJson.Parse(yaml)!;

        Assert.StartsWith("# header\nrun: |\n  set -e\n", yaml, StringComparison.Ordinal);
        Assert.Equal(script, parsed["run"]!.GetValue<string>());
        Assert.Equal("a\nb", parsed["no-final-newline"]!.GetValue<string>());
    }

    [Fact]
    public void Comments_follow_scalar_values_and_are_not_part_of_them()
    {
        var root = new WorkflowMap();
        root.Add("uses", WorkflowScalar.Of("actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8"), "v5.0.0");

        var yaml = WorkflowYamlWriter.Write([], root);

        Assert.Equal("uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0\n", yaml);
        Assert.Equal("actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8", YamlJson.Parse(yaml)!["uses"]!.GetValue<string>());
    }

    [Fact]
    public void Empty_mappings_and_booleans_and_numbers_are_typed()
    {
        var root = new WorkflowMap { ["workflow_dispatch"] = new WorkflowMap(), ["flag"] = false, ["minutes"] = 20 };

        var yaml = WorkflowYamlWriter.Write([], root);

        Assert.Equal("workflow_dispatch: {}\nflag: false\nminutes: 20\n", yaml);
    }

    [Fact]
    public void Duplicate_keys_are_a_bug_not_output()
    {
        var root = new WorkflowMap { ["name"] = "a" };

        Assert.Throws<InvalidOperationException>(() => root["name"] = "b");
    }
}
