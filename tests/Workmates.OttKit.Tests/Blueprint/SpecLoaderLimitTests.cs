using System.Text;
using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>The loader's limits (docs/blueprint.md): hostile input fails fast with a message and a position.</summary>
public sealed class SpecLoaderLimitTests
{
    /// <summary>The 3.9 KB "billion laughs" of issue 16: nine levels of nine aliases, about 3.9e8 nodes if copied.</summary>
    internal static string AliasBomb()
    {
        var text = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 1; level <= 9; level++)
        {
            var previous = $"*a{level - 1}";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{level}: &a{level} [{string.Join(",", Enumerable.Repeat(previous, 9))}]\n");
        }

        return text.Append("name: demo\nregion: ap-south-1\nservices: *a9\n").ToString();
    }

    private static SpecLoadProblem SingleProblem(string text, string file)
    {
        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(text, file));
        return Assert.Single(error.Problems);
    }

    [Fact]
    public void Parse_YamlAliasBomb_FailsAtTheAliasInsteadOfExpandingIt()
    {
        var problem = SingleProblem(AliasBomb(), "bomb.yaml");

        Assert.Contains("expands to more than 100,000 nodes", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line > 1);
    }

    [Fact]
    public void Parse_YamlAliasesWithinTheBudget_AreShared()
    {
        const string text = """
            tags: &common
              team: media
              owner: ops
            name: demo
            region: ap-south-1
            services:
              - name: web
            """;

        var spec = EnvironmentSpec.Parse(text, "aliases.yaml");

        Assert.Equal("media", spec.Tags["team"]);
    }

    [Theory]
    [InlineData("deep.yaml")]
    [InlineData("deep.json")]
    public void Parse_TwentyThousandNestedBrackets_FailWithTheDepthLimitNotAStackOverflow(string file)
    {
        var text = new string('[', 20_000) + new string(']', 20_000);

        var problem = SingleProblem(text, file);

        Assert.Contains(file.EndsWith(".json", StringComparison.Ordinal) ? "depth" : "deeper than 64 levels", problem.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_NestingWithinTheLimit_IsReadAndReportedByTheBinder()
    {
        var text = "name: demo\nregion: ap-south-1\ntags: " + new string('[', 60) + new string(']', 60) + "\n";

        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(text, "nested.yaml"));

        Assert.Contains(error.Problems, p => p.Path == "tags");
    }

    [Theory]
    [InlineData("big.yaml")]
    [InlineData("big.json")]
    public void Parse_TextOverOneMebibyte_IsRefusedBeforeParsing(string file)
    {
        var text = "# " + new string('x', 1024 * 1024) + "\n";

        var problem = SingleProblem(text, file);

        Assert.Contains("the limit is 1,048,576", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AliasToAnUndefinedAnchor_IsASyntaxError()
    {
        var problem = SingleProblem("name: *nowhere\n", "alias.yaml");

        Assert.Contains("names no anchor", problem.Message, StringComparison.Ordinal);
    }
}
