namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>A stored manifest cannot be read: not JSON, a field missing or invalid, or a newer format version.</summary>
public sealed class BackupManifestException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public BackupManifestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public BackupManifestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the parser's error.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The parser's error.</param>
    public BackupManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one manifest object.</summary>
    /// <param name="key">The manifest's object key.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    public BackupManifestException(string key, string problem, Exception? innerException = null)
        : base($"Manifest '{key}': {problem}.", innerException)
    {
        Key = key;
        Problem = problem;
    }

    /// <summary>The manifest's object key.</summary>
    public string? Key { get; }

    /// <summary>What is wrong, without the key.</summary>
    public string? Problem { get; }
}
