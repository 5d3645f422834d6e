using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>
/// CDK-style template assertions: a resource of a type whose properties contain a partial object (objects match by
/// the keys given, recursively; lists and values match exactly), and resource counts by type.
/// </summary>
internal static class TemplateAssertions
{
    /// <summary>Asserts the template has exactly <paramref name="count"/> resources of <paramref name="type"/>.</summary>
    public static void ResourceCountIs(this Template template, string type, int count)
    {
        var actual = template.Resources.Values.Count(r => string.Equals(r.Type, type, StringComparison.Ordinal));
        Assert.True(actual == count, $"expected {count} resource(s) of {type}, found {actual}");
    }

    /// <summary>
    /// Asserts some resource of <paramref name="type"/> has properties matching <paramref name="partial"/> and returns
    /// the first one that does; the failure lists the candidates' logical IDs and the first mismatch of each.
    /// </summary>
    public static Resource HasResourceProperties(this Template template, string type, CfnObject partial)
    {
        var misses = new List<string>();
        foreach (var resource in template.Resources.Values.Where(r => string.Equals(r.Type, type, StringComparison.Ordinal)))
        {
            var mismatch = Mismatch(partial, resource.Properties, "Properties");
            if (mismatch is null)
            {
                return resource;
            }

            misses.Add($"{resource.LogicalId}: {mismatch}");
        }

        Assert.Fail(misses.Count == 0
            ? $"no resource of {type}"
            : $"no {type} has properties like {partial}:\n  " + string.Join("\n  ", misses));
        return null!;
    }

    /// <summary>
    /// Asserts the properties of one known resource (a logical ID the test names) match <paramref name="partial"/>, by
    /// the same rules as <see cref="HasResourceProperties"/>; the failure names the resource and the first mismatch.
    /// </summary>
    public static Resource HasProperties(this Resource resource, CfnObject partial)
    {
        var mismatch = Mismatch(partial, resource.Properties, "Properties");
        Assert.True(mismatch is null, $"{resource.LogicalId}: {mismatch}");
        return resource;
    }

    /// <summary>
    /// The node at <paramref name="path"/> (object keys) below <paramref name="node"/>, or <see langword="null"/> where a
    /// key is missing: the one shared path accessor, for assertions that need a value rather than a partial match (a
    /// substring of an intrinsic, one element of a list, a value compared across resources).
    /// </summary>
    public static CfnNode? At(CfnNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not CfnObject obj || !obj.TryGetValue(key, out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    /// <summary>The text of a scalar node; <see langword="null"/> for a missing node, an object, a list or an intrinsic.</summary>
    public static string? Text(CfnNode? node) => (node as CfnScalar)?.Text;

    private static string? Mismatch(CfnNode expected, CfnNode? actual, string path)
    {
        if (expected is CfnObject expectedObject)
        {
            if (actual is not CfnObject actualObject)
            {
                return $"{path} is {actual?.ToString() ?? "missing"}, expected an object";
            }

            foreach (var (key, value) in expectedObject)
            {
                var inner = Mismatch(value, actualObject.TryGetValue(key, out var found) ? found : null, $"{path}.{key}");
                if (inner is not null)
                {
                    return inner;
                }
            }

            return null;
        }

        return expected.Equals(actual) ? null : $"{path} is {actual?.ToString() ?? "missing"}, expected {expected}";
    }
}
