namespace Workmates.OttKit.CloudFormation;

/// <summary>Thrown when a logical ID is added twice to the same template section.</summary>
public sealed class DuplicateLogicalIdException : OttKitTemplateException
{
    /// <summary>Creates the exception.</summary>
    public DuplicateLogicalIdException()
        : this("Resources", "?")
    {
    }

    /// <summary>Creates the exception with a custom message.</summary>
    /// <param name="message">The message.</param>
    public DuplicateLogicalIdException(string message)
        : base(message)
    {
        Section = string.Empty;
        LogicalId = string.Empty;
    }

    /// <summary>Creates the exception with a custom message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DuplicateLogicalIdException(string message, Exception innerException)
        : base(message, innerException)
    {
        Section = string.Empty;
        LogicalId = string.Empty;
    }

    /// <summary>Creates the exception for a section and ID.</summary>
    /// <param name="section">The section, e.g. <c>Resources</c>.</param>
    /// <param name="logicalId">The repeated logical ID.</param>
    public DuplicateLogicalIdException(string section, string logicalId)
        : base($"{section}.{logicalId}: the logical ID '{logicalId}' is already used in {section}; choose a unique ID.")
    {
        Section = section;
        LogicalId = logicalId;
    }

    /// <summary>The section, e.g. <c>Resources</c>.</summary>
    public string Section { get; }

    /// <summary>The repeated logical ID.</summary>
    public string LogicalId { get; }
}
