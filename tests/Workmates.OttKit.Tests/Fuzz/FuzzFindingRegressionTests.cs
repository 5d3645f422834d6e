using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Tests.Fuzz;

/// <summary>Every finding of the fuzz suite (docs/testing.md), as the smallest input that showed it.</summary>
public sealed class FuzzFindingRegressionTests
{
    [Fact]
    public void SpecLoader_YamlThatBreaksYamlDotNetsPlainScalarScanner_IsASpecLoadException()
    {
        // YamlDotNet threw InvalidOperationException from Scanner.ScanPlainScalar.
        const string Text = "a0: &a0 [\"lol\",\"l\aol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"1\nservices: *a2\n";

        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(Text, "fuzz.yaml"));

        Assert.NotEmpty(error.Problems);
    }

    [Fact]
    public void SpecLoader_JsonStringWithALoneSurrogateEscape_IsASpecLoadExceptionAtTheString()
    {
        // System.Text.Json threw InvalidOperationException from GetString.
        const string Text = """{"name":"demo","region":"\uD800"}""";

        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(Text, "fuzz.json"));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("lone surrogate", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, problem.Line);
    }

    [Theory]
    [InlineData("""{"services":[{"createdAt":"2016-08-29T16:25:u2.130Z"}]}""")]
    [InlineData("""{"services":[{"createdAt":1e30}]}""")]
    [InlineData("""{"services":[{"createdAt":-1e30}]}""")]
    public void AwsJson_MalformedTimestamp_IsAJsonException(string json)
    {
        // FormatException (DateTime.Parse) and OverflowException escaped the converter.
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Workmates.OttKit.Aws.Ecs.Model.DescribeServicesResponse>(json, AwsJsonProtocol.Options));
    }

    [Fact]
    public void ConnectionString_UnknownOptionNameHoldingAPastedUri_IsNeverEchoed()
    {
        var parsed = MongoConnectionString.Parse("mongodb://alice:Secret-Pw1@example.com/admin?replgodb://alice:Secret-Pw1@example.com/admin?replicaset=x");

        Assert.DoesNotContain("Secret-Pw1", parsed.Redacted, StringComparison.Ordinal);
        Assert.All(parsed.Warnings, w => Assert.DoesNotContain("Secret-Pw1", w, StringComparison.Ordinal));
    }
}
