using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Json;

namespace Workmates.OttKit.Tests.Json;

public sealed class YamlJsonTests
{
    [Fact]
    public void The_workflow_key_on_stays_a_string_under_YAML_1_2()
    {
        var node = YamlJson.Parse("on:\n  push:\n    branches: [main]\n")!.AsObject();

        Assert.True(node.ContainsKey("on"));
        Assert.Equal(JsonValueKind.Array, node["on"]!["push"]!["branches"]!.GetValueKind());
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("on")]
    [InlineData("y")]
    [InlineData("0777x")]
    [InlineData(".inf")]
    public void YAML_1_1_booleans_and_odd_words_stay_strings(string scalar) =>
        Assert.Equal(scalar, YamlJson.Parse($"v: {scalar}")!["v"]!.GetValue<string>());

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    public void Only_true_and_false_are_booleans(string scalar, bool expected) =>
        Assert.Equal(expected, YamlJson.Parse($"v: {scalar}")!["v"]!.GetValue<bool>());

    [Fact]
    public void Numbers_are_numbers_and_quoted_numbers_are_strings()
    {
        var node = YamlJson.Parse("a: 80\nb: -1.5e3\nc: '80'\nd: \"true\"\ne: 0x1F\nf: 9223372036854775808")!;

        Assert.Equal("""{"a":80,"b":-1500,"c":"80","d":"true","e":31,"f":9223372036854775808}""", node.ToJsonString());
    }

    [Fact]
    public void Nulls_and_empty_values_are_null() =>
        Assert.Equal("""{"a":null,"b":null,"c":null,"d":"null"}""", YamlJson.Parse("a: ~\nb:\nc: null\nd: 'null'")!.ToJsonString());

    [Fact]
    public void Block_scalars_and_sequences_convert()
    {
        var node = YamlJson.Parse("run: |\n  echo 1\n  echo 2\nsteps:\n  - uses: actions/checkout@v4\n  - run: make\n")!;

        Assert.Equal("echo 1\necho 2\n", node["run"]!.GetValue<string>());
        Assert.Equal(2, node["steps"]!.AsArray().Count);
    }

    [Fact]
    public void Explicit_string_tags_win() =>
        Assert.Equal("""{"v":"123"}""", YamlJson.Parse("v: !!str 123")!.ToJsonString());

    [Fact]
    public void An_empty_document_is_null() => Assert.Null(YamlJson.Parse(""));

    [Fact]
    public void Invalid_yaml_throws_a_yaml_exception() =>
        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("a: [1, 2"));
}
