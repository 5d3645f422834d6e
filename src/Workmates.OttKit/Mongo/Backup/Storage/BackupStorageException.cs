namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// Object storage failed for good: a request answered a non-retryable error (access denied, no such bucket…) or a
/// transient error outlived every retry. A multipart upload that raised it has been aborted.
/// Caller cancellation is reported as <see cref="OperationCanceledException"/>, not as this exception.
/// </summary>
public sealed class BackupStorageException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public BackupStorageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public BackupStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The storage service's error.</param>
    public BackupStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one operation on one key.</summary>
    /// <param name="operation">The storage operation, for example <c>UploadPart</c>.</param>
    /// <param name="key">The object key.</param>
    /// <param name="partNumber">The part number for part operations.</param>
    /// <param name="attempts">How many times the request was sent.</param>
    /// <param name="innerException">The last error.</param>
    public BackupStorageException(string operation, string key, int? partNumber, int attempts, Exception? innerException)
        : base(Describe(operation, key, partNumber, attempts, innerException), innerException)
    {
        Operation = operation;
        Key = key;
        PartNumber = partNumber;
        Attempts = attempts;
    }

    /// <summary>The storage operation that failed, for example <c>UploadPart</c>.</summary>
    public string? Operation { get; }

    /// <summary>The object key.</summary>
    public string? Key { get; }

    /// <summary>The part number when a part failed.</summary>
    public int? PartNumber { get; }

    /// <summary>How many times the failing request was sent.</summary>
    public int Attempts { get; }

    private static string Describe(string operation, string key, int? partNumber, int attempts, Exception? inner)
    {
        var part = partNumber is { } p ? $" part {p}" : string.Empty;
        var tries = attempts == 1 ? "1 attempt" : $"{attempts} attempts";
        var cause = inner is null ? string.Empty : $": {inner.Message}";
        return $"{operation}{part} of '{key}' failed after {tries}{cause}";
    }
}
