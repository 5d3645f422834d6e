namespace Workmates.OttKit.CloudFormation;

/// <summary>How serious a template problem is.</summary>
public enum TemplateProblemSeverity
{
    /// <summary>Worth knowing; nothing to fix (e.g. the body must be uploaded to S3).</summary>
    Information,

    /// <summary>Probably a mistake, but AWS would accept the template.</summary>
    Warning,

    /// <summary>AWS would reject the template, or the stack would fail.</summary>
    Error,
}

/// <summary>One problem found by <see cref="Template.Check"/>.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Code">A stable code, e.g. <c>UndefinedReference</c> (see <see cref="TemplateProblemCodes"/>).</param>
/// <param name="Path">Where it is, e.g. <c>Resources.Api.Properties.TaskDefinition</c>.</param>
/// <param name="Detail">What is wrong and how to fix it.</param>
public sealed record TemplateProblem(TemplateProblemSeverity Severity, string Code, string Path, string Detail)
{
    /// <summary>The path and detail together: <c>Resources.Api.Properties.TaskDefinition: Ref to undefined …</c>.</summary>
    public string Message => Path.Length == 0 ? Detail : $"{Path}: {Detail}";

    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Code} {Message}";
}

/// <summary>The result of <see cref="Template.Check"/>: every problem found, in a stable order.</summary>
public sealed class TemplateCheckResult
{
    internal TemplateCheckResult(IReadOnlyList<TemplateProblem> problems) => Problems = problems;

    /// <summary>Every problem, in template order.</summary>
    public IReadOnlyList<TemplateProblem> Problems { get; }

    /// <summary>The problems of severity <see cref="TemplateProblemSeverity.Error"/>.</summary>
    public IEnumerable<TemplateProblem> Errors => Problems.Where(static p => p.Severity == TemplateProblemSeverity.Error);

    /// <summary>True when there are no errors (warnings and information allowed).</summary>
    public bool IsValid => !Errors.Any();

    /// <summary>Throws when there are errors.</summary>
    /// <exception cref="TemplateValidationException">The template has errors.</exception>
    public void ThrowIfErrors()
    {
        if (!IsValid)
        {
            throw new TemplateValidationException(Problems);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Problems.Count == 0 ? "No problems." : string.Join(Environment.NewLine, Problems);
}

/// <summary>Thrown when a template has structural errors; carries every problem, not just the first.</summary>
public sealed class TemplateValidationException : OttKitTemplateException
{
    /// <summary>Creates the exception.</summary>
    public TemplateValidationException()
        : this("The template is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TemplateValidationException(string message)
        : base(message) => Problems = [];

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TemplateValidationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    /// <summary>Creates the exception for a list of problems.</summary>
    /// <param name="problems">The problems (errors and any others found in the same run).</param>
    public TemplateValidationException(IReadOnlyList<TemplateProblem> problems)
        : base(Compose(problems)) => Problems = problems;

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<TemplateProblem> Problems { get; }

    private static string Compose(IReadOnlyList<TemplateProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var errors = problems.Count(static p => p.Severity == TemplateProblemSeverity.Error);
        return $"The template has {errors} error(s):" + Environment.NewLine
            + string.Join(Environment.NewLine, problems.Select(static p => "  " + p));
    }
}
