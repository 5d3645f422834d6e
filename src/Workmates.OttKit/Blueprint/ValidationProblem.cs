namespace Workmates.OttKit.Blueprint;

/// <summary>One thing wrong with a spec: where (<c>services[2].scaling.maxTasks</c>), what, and how to fix it.</summary>
/// <param name="Path">camelCase path of the offending value, as it appears in a spec file.</param>
/// <param name="Message">What is wrong, with the offending value.</param>
/// <param name="Fix">What to change so the rule passes.</param>
public sealed record ValidationProblem(string Path, string Message, string Fix)
{
    /// <summary>One line: <c>path: message (fix: …)</c>.</summary>
    /// <returns>The readable form.</returns>
    public override string ToString() => $"{Path}: {Message} Fix: {Fix}";
}

/// <summary>
/// A user mistake: a spec that failed validation or could not be read (<see cref="SpecLoadException"/>), or options
/// out of range. <see cref="Problems"/> lists every problem, not just the first, each with its path and fix. This is
/// the one type to catch for "the input is wrong"; the CLI prints its message without a stack trace.
/// </summary>
public class OttKitValidationException : OttKitException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">Every problem (at least one).</param>
    public OttKitValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with a message and no problems (for serializers and tooling).</summary>
    public OttKitValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message and no problems (for serializers and tooling).</summary>
    /// <param name="message">The message.</param>
    public OttKitValidationException(string message)
        : base(message)
    {
        Problems = [];
    }

    /// <summary>Creates the exception with a message, an inner exception and no problems.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OttKitValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    /// <summary>Creates the exception with its own message and the problems behind it (for the derived families).</summary>
    /// <param name="message">The message.</param>
    /// <param name="problems">Every problem (at least one).</param>
    protected OttKitValidationException(string message, IReadOnlyList<ValidationProblem> problems)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(problems);
        Problems = problems;
    }

    /// <summary>Every problem found, in spec order.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>The exception for options that break their rules: one line per problem, <c>Type.Member what; fix</c>.</summary>
    /// <param name="subject">What was validated, such as <c>ServiceDeployOptions</c>.</param>
    /// <param name="problems">Every problem (at least one).</param>
    /// <returns>The exception to throw.</returns>
    internal static OttKitValidationException ForOptions(string subject, IReadOnlyList<ValidationProblem> problems) =>
        new($"The {subject} are invalid:" + string.Concat(problems.Select(p => "\n- " + OptionsRules.Describe(p))), problems);

    private static string Format(IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var lines = new System.Text.StringBuilder();
        lines.Append("The environment spec has ").Append(problems.Count).Append(problems.Count == 1 ? " problem:" : " problems:");
        foreach (var p in problems)
        {
            lines.Append('\n').Append("  - ").Append(p.Path).Append(": ").Append(p.Message)
                .Append('\n').Append("    fix: ").Append(p.Fix);
        }

        return lines.ToString();
    }
}

/// <summary>One problem in a spec file: its key path and its position (1-based line and column; 0 when unknown).</summary>
/// <param name="Path">camelCase key path, for example <c>services[1].scaling.maxTask</c>.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">What is wrong.</param>
public sealed record SpecLoadProblem(string Path, int Line, int Column, string Message);

/// <summary>
/// A spec file could not be read: malformed text, unknown keys (typos) or values of the wrong type. It is an
/// <see cref="OttKitValidationException"/>, so one <c>catch</c> sees every spec mistake, read or validated; its base
/// <see cref="OttKitValidationException.Problems"/> carries the same problems with their positions.
/// </summary>
public sealed class SpecLoadException : OttKitValidationException
{
    /// <summary>Creates the exception for <paramref name="file"/> with every problem found.</summary>
    /// <param name="file">The spec file.</param>
    /// <param name="problems">The problems (at least one).</param>
    public SpecLoadException(string file, IReadOnlyList<SpecLoadProblem> problems)
        : base(Format(file, problems), AsValidationProblems(file, problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>Creates the exception with no problems (for serializers and tooling).</summary>
    public SpecLoadException()
        : this(string.Empty, [])
    {
    }

    /// <summary>Creates the exception with a message and no problems.</summary>
    /// <param name="message">The message.</param>
    public SpecLoadException(string message)
        : base(message)
    {
        File = string.Empty;
        Problems = [];
    }

    /// <summary>Creates the exception with a message, an inner exception and no problems.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SpecLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Problems = [];
    }

    /// <summary>The spec file.</summary>
    public string File { get; }

    /// <summary>Every problem found, in file order, with its line and column.</summary>
    public new IReadOnlyList<SpecLoadProblem> Problems { get; }

    private static ValidationProblem[] AsValidationProblems(string file, IReadOnlyList<SpecLoadProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return [.. problems.Select(p => new ValidationProblem(
            p.Path.Length > 0 ? p.Path : "(file)",
            p.Line > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{file}({p.Line},{p.Column}): {p.Message}") : $"{file}: {p.Message}",
            p.Line > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"edit line {p.Line}, column {p.Column} of {file} as the message says.") : $"correct {file} as the message says."))];
    }

    private static string Format(string file, IReadOnlyList<SpecLoadProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var lines = new System.Text.StringBuilder();
        lines.Append("Cannot load the environment spec '").Append(file).Append("':");
        foreach (var p in problems)
        {
            lines.Append('\n').Append("  ").Append(file);
            if (p.Line > 0)
            {
                lines.Append('(').Append(p.Line).Append(',').Append(p.Column).Append(')');
            }

            lines.Append(": ");
            if (p.Path.Length > 0)
            {
                lines.Append(p.Path).Append(": ");
            }

            lines.Append(p.Message);
        }

        return lines.ToString();
    }
}
