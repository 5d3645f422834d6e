using System.Text.Json;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Aws;

/// <summary>One botocore model folder under conformance/aws-models, read in place.</summary>
internal sealed class AwsModel
{
    private AwsModel(string folder)
    {
        Folder = folder;
        var root = Conformance.Require(Path.Combine("aws-models", folder));
        Service = LoadJson(Path.Combine(root, "service-2.json"));
        Waiters = LoadJson(Path.Combine(root, "waiters-2.json"));
        Paginators = LoadJson(Path.Combine(root, "paginators-1.json"));
        Examples = LoadJson(Path.Combine(root, "examples-1.json"));
        EndpointRuleSet = LoadJson(Path.Combine(root, "endpoint-rule-set-1.json"));
    }

    public string Folder { get; }

    public JsonElement Service { get; }

    public JsonElement Waiters { get; }

    public JsonElement Paginators { get; }

    public JsonElement Examples { get; }

    public JsonElement EndpointRuleSet { get; }

    public JsonElement Shapes => Service.GetProperty("shapes");

    public JsonElement Metadata => Service.GetProperty("metadata");

    public bool IsQuery => Folder != "ecs";

    public static AwsModel Load(string folder) => new(folder);

    public JsonElement Shape(string name) => Shapes.GetProperty(name);

    public JsonElement Operation(string name) => Service.GetProperty("operations").GetProperty(name);

    public string InputShape(string operation) => Operation(operation).GetProperty("input").GetProperty("shape").GetString()!;

    public string? OutputShape(string operation) =>
        Operation(operation).TryGetProperty("output", out var output) ? output.GetProperty("shape").GetString() : null;

    public IEnumerable<string> ErrorShapes(string operation) =>
        Operation(operation).TryGetProperty("errors", out var errors)
            ? errors.EnumerateArray().Select(e => e.GetProperty("shape").GetString()!)
            : [];

    /// <summary>The wire code of an error shape: <c>error.code</c> when modelled, else the shape name.</summary>
    public string WireErrorCode(string errorShape) =>
        Shape(errorShape).TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code)
            ? code.GetString()!
            : errorShape;

    private static JsonElement LoadJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }
}
