namespace Workmates.OttKit.CloudFormation.Schema;

/// <summary>The resource schema directory cannot be used (missing, or not a directory of registry schemas).</summary>
public sealed class SchemaCatalogException : OttKitTemplateException
{
    /// <summary>Creates the exception for a directory.</summary>
    /// <param name="directory">The directory the catalog was pointed at.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public SchemaCatalogException(string directory, string message)
        : base(message) => Directory = directory;

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong.</param>
    public SchemaCatalogException(string message)
        : base(message) => Directory = string.Empty;

    /// <summary>Creates the exception with no details.</summary>
    public SchemaCatalogException()
        : this("The resource schema directory cannot be used.")
    {
    }

    /// <summary>Creates the exception wrapping a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SchemaCatalogException(string message, Exception innerException)
        : base(message, innerException) => Directory = string.Empty;

    /// <summary>The directory the catalog was pointed at.</summary>
    public string Directory { get; }
}
