using FsCheck;
using FsCheck.Fluent;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class StringRoundTripPropertyTests
{
    [Fact]
    public void AnyWellFormedString_RoundTripsThroughYamlAndJson()
    {
        var failures = new List<string>();
        var property = Prop.ForAll(ArbMap.Default.ArbFor<string>(), (string text) =>
        {
            // Lone surrogates are not text; neither YAML nor JSON can carry them.
            if (text is null || !IsWellFormed(text))
            {
                return true;
            }

            var template = new Template();
            template.AddResource("A", "AWS::SNS::Topic", new CfnObject { ["Value"] = text, [text.Length > 0 ? text : "k"] = Fn.Sub(text) });
            var yamlOk = template.Equals(Template.Parse(template.ToYaml()));
            var jsonOk = template.Equals(Template.Parse(template.ToJson()));
            if (!yamlOk || !jsonOk)
            {
                failures.Add(Escape(text));
            }

            return yamlOk && jsonOk;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);

        Assert.Empty(failures);
    }

    private static bool IsWellFormed(string text) => !text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF');

    private static string Escape(string text) => string.Concat(text.Select(static c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
