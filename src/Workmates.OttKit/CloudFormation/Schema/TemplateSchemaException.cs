namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>A template breaks the resource schemas; <see cref="Violations"/> lists every problem with its path.</summary>
public sealed class TemplateSchemaException : OttKitTemplateException
{
    /// <summary>Creates the exception from the violations found.</summary>
    /// <param name="violations">Every violation, each with its path and fix.</param>
    public TemplateSchemaException(IReadOnlyList<SchemaViolation> violations)
        : base(Describe(violations)) => Violations = violations;

    /// <summary>Creates the exception with no violations.</summary>
    public TemplateSchemaException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong.</param>
    public TemplateSchemaException(string message)
        : base(message) => Violations = [];

    /// <summary>Creates the exception wrapping a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TemplateSchemaException(string message, Exception innerException)
        : base(message, innerException) => Violations = [];

    /// <summary>Every violation found, each with its path and fix.</summary>
    public IReadOnlyList<SchemaViolation> Violations { get; }

    private static string Describe(IReadOnlyList<SchemaViolation> violations) =>
        violations.Count == 0
            ? "The template breaks the CloudFormation resource schemas."
            : $"The template breaks the CloudFormation resource schemas in {violations.Count} place(s):{Environment.NewLine}"
              + string.Join(Environment.NewLine, violations.Take(50).Select(v => "  " + v))
              + (violations.Count > 50 ? $"{Environment.NewLine}  … and {violations.Count - 50} more" : string.Empty);
}
