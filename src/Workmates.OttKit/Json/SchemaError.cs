namespace Workmates.OttKit.Json;

/// <summary>One way an instance fails a schema: where (instance path), which keyword, and what to do about it.</summary>
/// <param name="Path">Instance path such as <c>VersioningConfiguration.Status</c> or <c>Tags[2].Key</c>; empty for the root.</param>
/// <param name="Keyword">The schema keyword that failed (<c>required</c>, <c>enum</c>, ...).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
internal sealed record SchemaError(string Path, string Keyword, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
