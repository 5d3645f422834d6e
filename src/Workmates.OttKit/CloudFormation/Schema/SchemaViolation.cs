namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>One way a template breaks the CloudFormation resource schemas or template rules.</summary>
/// <param name="Path">Where, from the template root: <c>Resources.MediaBucket.Properties.VersioningConfiguration.Status</c>.</param>
/// <param name="Rule">Which rule failed: a JSON Schema keyword (<c>enum</c>, <c>required</c>, ...) or a template rule (<c>readOnly</c>, <c>resourceType</c>, ...).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record SchemaViolation(string Path, string Rule, string Message)
{
    /// <summary>The violation as one line: <c>path: message</c>.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
