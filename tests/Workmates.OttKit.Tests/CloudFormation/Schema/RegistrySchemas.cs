using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Workmates.OttKit.CloudFormation.Schema;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.CloudFormation.Schema;

/// <summary>The registry schemas from the conformance folder, one catalog per test run (loading is lazy and cached).</summary>
internal static class RegistrySchemas
{
    public const string Folder = "cloudformation-schemas/resources";

    private static readonly ConcurrentDictionary<string, ResourceSchemaCatalog> Catalogs = new(StringComparer.Ordinal);

    public static ResourceSchemaCatalog Catalog()
    {
        var directory = Conformance.Require(Folder);
        return Catalogs.GetOrAdd(directory, d => new ResourceSchemaCatalog(d));
    }

    public static TemplateSchemaValidator Validator(ScalarTypePolicy scalars = ScalarTypePolicy.Lenient) =>
        new(Catalog(), new TemplateSchemaValidatorOptions { ScalarTypes = scalars });

    /// <summary>Validates one resource given as JSON text of its Properties.</summary>
    public static IReadOnlyList<SchemaViolation> ValidateResource(string type, string propertiesJson, ScalarTypePolicy scalars = ScalarTypePolicy.Lenient)
    {
        var template = new JsonObject
        {
            ["Resources"] = new JsonObject
            {
                ["Subject"] = new JsonObject
                {
                    ["Type"] = type,
                    ["Properties"] = JsonNode.Parse(propertiesJson),
                },
            },
        };
        return Validator(scalars).Validate(template);
    }

    public static string Describe(IEnumerable<SchemaViolation> violations) => string.Join(Environment.NewLine, violations);
}
