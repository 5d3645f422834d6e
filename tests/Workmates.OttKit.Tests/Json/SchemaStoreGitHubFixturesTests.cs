using System.Text.Json.Nodes;
using Workmates.OttKit.Json;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Json;

/// <summary>
/// SchemaStore's own pass/fail fixtures for the GitHub workflow and action schemas: conformance data for the
/// JSON Schema engine and the YAML 1.2 loader. Every valid document must pass, every invalid one must fail.
/// </summary>
public sealed class SchemaStoreGitHubFixturesTests
{
    [Fact]
    public void GitHub_workflow_fixtures_pass_when_valid_and_fail_when_invalid() =>
        RunSuite("github-workflow.json", "github-workflow", minimumValid: 30, minimumInvalid: 20);

    [Fact]
    public void GitHub_action_fixtures_pass_when_valid_and_fail_when_invalid() =>
        RunSuite("github-action.json", "github-action", minimumValid: 3, minimumInvalid: 2);

    private static void RunSuite(string schemaFile, string fixtureFolder, int minimumValid, int minimumInvalid)
    {
        var schemaPath = Conformance.Require(Path.Combine("github-workflow", schemaFile));
        var schema = JsonSchema.Compile(JsonNode.Parse(File.ReadAllText(schemaPath)));
        var failures = new List<string>();
        var (validPassed, validTotal) = Run(schema, $"github-workflow/schemastore-tests/valid/{fixtureFolder}", expectValid: true, failures);
        var (invalidFailed, invalidTotal) = Run(schema, $"github-workflow/schemastore-tests/invalid/{fixtureFolder}", expectValid: false, failures);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{schemaFile}: valid fixtures passing {validPassed}/{validTotal}; invalid fixtures failing {invalidFailed}/{invalidTotal}; compile warnings {schema.Warnings.Count}");
        Assert.True(validTotal >= minimumValid && invalidTotal >= minimumInvalid, $"fixtures missing: {validTotal} valid, {invalidTotal} invalid");
        Assert.Empty(schema.Warnings);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static (int Matching, int Total) Run(JsonSchema schema, string folder, bool expectValid, List<string> failures)
    {
        var matching = 0;
        var files = Conformance.Files(folder, "*.*").ToList();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var document = file.EndsWith(".json", StringComparison.Ordinal) ? JsonNode.Parse(text) : YamlJson.Parse(text);
            var errors = schema.Validate(document);
            if ((errors.Count == 0) == expectValid)
            {
                matching++;
                if (!expectValid)
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"  {Path.GetFileName(file)} fails as expected: {errors[0]}");
                }
            }
            else
            {
                failures.Add(expectValid
                    ? $"{Path.GetFileName(file)} should pass but: {string.Join(" | ", errors.Take(3))}"
                    : $"{Path.GetFileName(file)} should fail but passed");
            }
        }

        return (matching, files.Count);
    }
}
