namespace Workmates.OttKit.CloudFormation;

/// <summary>Thrown when template text cannot be read: malformed JSON/YAML, or a section of the wrong shape.</summary>
public sealed class TemplateFormatException : OttKitTemplateException
{
    /// <summary>Creates the exception.</summary>
    public TemplateFormatException()
        : this(string.Empty, "The template could not be read.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TemplateFormatException(string message)
        : base(message) => Path = string.Empty;

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TemplateFormatException(string message, Exception innerException)
        : base(message, innerException) => Path = string.Empty;

    /// <summary>Creates the exception for a path in the template.</summary>
    /// <param name="path">Where the problem is, e.g. <c>Resources.Api.DependsOn</c>; empty for the whole text.</param>
    /// <param name="detail">What is wrong and how to fix it.</param>
    /// <param name="line">The 1-based line, when known.</param>
    /// <param name="innerException">The parser's exception, when any.</param>
    public TemplateFormatException(string path, string detail, long? line = null, Exception? innerException = null)
        : base(Compose(path, detail, line), innerException)
    {
        Path = path;
        Line = line;
    }

    /// <summary>Where the problem is, e.g. <c>Resources.Api.DependsOn</c>; empty for the whole text.</summary>
    public string Path { get; }

    /// <summary>The 1-based line, when known.</summary>
    public long? Line { get; }

    private static string Compose(string path, string detail, long? line) =>
        (path.Length > 0 ? path + ": " : string.Empty) + detail + (line is { } l ? $" (line {l})" : string.Empty);
}
