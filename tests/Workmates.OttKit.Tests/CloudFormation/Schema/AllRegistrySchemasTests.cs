using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Json;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

public sealed class AllRegistrySchemasTests
{
    [Fact]
    public void Every_registry_schema_compiles_and_validates_empty_and_populated_properties_without_crashing()
    {
        var directory = Conformance.Require(RegistrySchemas.Folder);
        var catalog = new ResourceSchemaCatalog(directory);
        var validator = new TemplateSchemaValidator(catalog);
        var failures = new List<string>();
        var files = 0;
        var warnings = 0;
        var withViolationsWhenEmpty = 0;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            files++;
            string typeName = "?";
            try
            {
                var document = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
                typeName = document["typeName"]!.GetValue<string>();
                if (ResourceSchemaCatalog.FileNameOf(typeName) != Path.GetFileName(file))
                {
                    failures.Add($"{file}: file name does not follow the naming rule for {typeName}");
                }

                var schema = catalog.Find(typeName);
                if (schema?.Schema is null)
                {
                    failures.Add($"{typeName}: not loaded ({schema?.LoadProblem ?? "not found"})");
                    continue;
                }

                warnings += schema.Warnings.Count;
                var empty = validator.ValidateProperties("Subject", typeName, new JsonObject());
                if (empty.Count > 0)
                {
                    withViolationsWhenEmpty++;
                }

                validator.ValidateProperties("Subject", typeName, Populate(document));
            }
#pragma warning disable CA1031 // The point of the test is to catch any crash and list it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"{typeName} ({Path.GetFileName(file)}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{files} registry schemas compiled and validated; {failures.Count} crashes; {warnings} compile warnings; {withViolationsWhenEmpty} types need properties; {catalog.Patterns.Count} distinct patterns");
        Assert.True(files >= 1600, $"expected the full registry (1603 files), found {files}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Sets each top-level property to a trivial value of its declared type (first type when several).</summary>
    private static JsonObject Populate(JsonObject document)
    {
        var populated = new JsonObject();
        if (document["properties"] is not JsonObject properties)
        {
            return populated;
        }

        foreach (var (name, schema) in properties)
        {
            var type = schema?["type"] switch
            {
                JsonArray types => types[0]?.GetValue<string>(),
                JsonValue single => single.GetValue<string>(),
                _ => schema?["$ref"] is null ? "string" : "object",
            };
            populated[name] = type switch
            {
                "integer" or "number" => 1,
                "boolean" => true,
                "array" => new JsonArray(),
                "object" => new JsonObject(),
                _ => "x",
            };
        }

        return populated;
    }

    [Fact]
    public void Registry_schema_compile_warnings_are_only_unsupported_patterns()
    {
        var catalog = RegistrySchemas.Catalog();
        var warnings = catalog.EnumerateFiles()
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["typeName"]!.GetValue<string>())
            .SelectMany(t => catalog.Find(t)?.Warnings.Select(w => $"{t}: {w}") ?? [])
            .ToList();

        TestContext.Current.TestOutputHelper?.WriteLine($"{warnings.Count} compile warnings:{Environment.NewLine}{string.Join(Environment.NewLine, warnings.Take(100))}");
        Assert.All(warnings, w => Assert.Contains("pattern", w, StringComparison.Ordinal));
    }
}
