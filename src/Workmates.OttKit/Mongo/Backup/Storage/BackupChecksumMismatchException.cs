namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// A stored backup object does not hash to the SHA-256 its manifest records: the object is corrupt or is not the one
/// the manifest describes. It must not be restored.
/// </summary>
public sealed class BackupChecksumMismatchException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public BackupChecksumMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What differs.</param>
    public BackupChecksumMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an underlying error.</summary>
    /// <param name="message">What differs.</param>
    /// <param name="innerException">The underlying error.</param>
    public BackupChecksumMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one object.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="expectedSha256">SHA-256 the manifest records, lowercase hex.</param>
    /// <param name="actualSha256">SHA-256 of the bytes read, lowercase hex.</param>
    /// <param name="bytesRead">How many bytes were read.</param>
    public BackupChecksumMismatchException(string key, string expectedSha256, string actualSha256, long bytesRead)
        : base($"'{key}' is corrupt: its {bytesRead} bytes hash to SHA-256 {actualSha256}, the manifest records {expectedSha256}. Do not restore it; take a new backup or use an older one.")
    {
        Key = key;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
        BytesRead = bytesRead;
    }

    /// <summary>The object key.</summary>
    public string? Key { get; }

    /// <summary>SHA-256 the manifest records, lowercase hex.</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>SHA-256 of the bytes read, lowercase hex.</summary>
    public string? ActualSha256 { get; }

    /// <summary>How many bytes were read.</summary>
    public long BytesRead { get; }
}
