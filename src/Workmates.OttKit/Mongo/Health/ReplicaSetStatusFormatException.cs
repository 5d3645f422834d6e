namespace Workmates.OttKit.Mongo.Health;

/// <summary>A status document (JSON or Extended JSON) lacks a required field or holds a value of the wrong shape.</summary>
public sealed class ReplicaSetStatusFormatException : OttKitMongoException
{
    /// <summary>Initializes a new instance of the <see cref="ReplicaSetStatusFormatException"/> class.</summary>
    public ReplicaSetStatusFormatException()
    {
        Path = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicaSetStatusFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public ReplicaSetStatusFormatException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicaSetStatusFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The parser error, if any.</param>
    public ReplicaSetStatusFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ReplicaSetStatusFormatException"/> class.</summary>
    /// <param name="path">The JSON path of the bad value, e.g. <c>status.members[2].optime</c>.</param>
    /// <param name="problem">What is wrong and what was expected.</param>
    /// <param name="innerException">The parser error, if any.</param>
    public ReplicaSetStatusFormatException(string path, string problem, Exception? innerException)
        : base($"{path}: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>Gets the JSON path of the bad value.</summary>
    public string Path { get; }
}
