namespace Workmates.OttKit.Deployment;

/// <summary>What kind of stack deployment problem occurred.</summary>
public enum StackDeploymentErrorKind
{
    /// <summary>A stack asked for by name is not in the stack set.</summary>
    UnknownStack,
}

/// <summary>A stack deploy could not start: the request names something that does not exist.</summary>
public sealed class StackDeploymentException : OttKitDeploymentException
{
    /// <summary>Creates the exception.</summary>
    public StackDeploymentException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public StackDeploymentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StackDeploymentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with its facts.</summary>
    /// <param name="kind">The kind of problem.</param>
    /// <param name="stackName">The stack involved.</param>
    /// <param name="message">What is wrong and the fix.</param>
    public StackDeploymentException(StackDeploymentErrorKind kind, string stackName, string message)
        : base(message)
    {
        Kind = kind;
        StackName = stackName;
    }

    /// <summary>The kind of problem.</summary>
    public StackDeploymentErrorKind Kind { get; }

    /// <summary>The stack involved.</summary>
    public string? StackName { get; }
}
