using System.Text.Json.Nodes;
using Workmates.OttKit.Json;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Pipelines;

/// <summary>
/// Every generated workflow of both samples (both deploy modes, both pinning modes, the PR-comment option) against
/// SchemaStore's GitHub workflow schema, loaded with YAML 1.2 typing so <c>on</c> stays a string. The schema engine
/// and loader themselves are checked against SchemaStore's own fixtures in Json/SchemaStoreGitHubFixturesTests.
/// </summary>
public sealed class WorkflowSchemaTests
{
    [Fact]
    public void Every_generated_workflow_validates_against_the_GitHub_workflow_schema()
    {
        var schemaPath = Conformance.Require(Path.Combine("github-workflow", "github-workflow.json"));
        var schema = JsonSchema.Compile(JsonNode.Parse(File.ReadAllText(schemaPath)));
        var failures = new List<string>();
        var count = 0;
        foreach (var (label, file) in PipelineVariants.Files())
        {
            count++;
            var errors = schema.Validate(YamlJson.Parse(file.Content));
            if (errors.Count > 0)
            {
                failures.Add($"{label}: {string.Join(" | ", errors.Take(5))}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"github-workflow.json: {count - failures.Count}/{count} generated workflows valid");
        Assert.True(count >= 20, $"only {count} workflows generated");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void The_schema_check_catches_a_broken_generated_workflow()
    {
        // Proves the check above can fail: drop runs-on from a generated job.
        var schemaPath = Conformance.Require(Path.Combine("github-workflow", "github-workflow.json"));
        var schema = JsonSchema.Compile(JsonNode.Parse(File.ReadAllText(schemaPath)));
        var file = PipelineVariants.Files().First().File;
        var document = YamlJson.Parse(file.Content)!.AsObject();
        document["jobs"]!["test"]!.AsObject().Remove("runs-on");

        Assert.NotEmpty(schema.Validate(document));
    }
}
