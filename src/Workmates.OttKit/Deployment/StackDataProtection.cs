using System.Text.Json.Nodes;

namespace Workmates.OttKit.Deployment;

/// <summary>
/// The stack policy that keeps data: it forbids <c>Update:Replace</c> and <c>Update:Delete</c> on MongoDB data
/// volumes (every <c>AWS::EC2::Volume</c>) and on the backup bucket (an <c>AWS::S3::Bucket</c> whose logical ID,
/// BucketName or tags say "backup"), and allows every other update.
/// </summary>
internal static class StackDataProtection
{
    public const string VolumeType = "AWS::EC2::Volume";
    public const string BucketType = "AWS::S3::Bucket";

    /// <summary>The logical IDs of the data resources of a template (JSON form), sorted.</summary>
    public static IReadOnlyList<string> ProtectedResources(JsonObject template)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (template["Resources"] is JsonObject resources)
        {
            foreach (var (logicalId, node) in resources)
            {
                var type = node?["Type"]?.ToString();
                if (IsData(logicalId, type, node?["Properties"] as JsonObject))
                {
                    found.Add(logicalId);
                }
            }
        }

        return [.. found];
    }

    /// <summary>True for a data volume or a backup bucket.</summary>
    public static bool IsData(string logicalId, string? type, JsonObject? properties) => type switch
    {
        VolumeType => true,
        BucketType => Mentions(logicalId) || Mentions(properties?["BucketName"]?.ToJsonString()) || Mentions(properties?["Tags"]?.ToJsonString()),
        _ => false,
    };

    /// <summary>The policy document, or null when nothing needs protecting.</summary>
    public static string? Policy(IEnumerable<string> protectedLogicalIds)
    {
        var ids = protectedLogicalIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        var policy = new JsonObject
        {
            ["Statement"] = new JsonArray(
                new JsonObject { ["Effect"] = "Allow", ["Action"] = "Update:*", ["Principal"] = "*", ["Resource"] = "*" },
                new JsonObject
                {
                    ["Effect"] = "Deny",
                    ["Action"] = new JsonArray("Update:Replace", "Update:Delete"),
                    ["Principal"] = "*",
                    ["Resource"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create("LogicalResourceId/" + id))]),
                }),
        };
        return policy.ToJsonString();
    }

    private static bool Mentions(string? text) => text is not null && text.Contains("backup", StringComparison.OrdinalIgnoreCase);
}
