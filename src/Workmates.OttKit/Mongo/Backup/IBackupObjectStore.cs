namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// The object storage backups live in: Amazon S3 in production, a fault-injecting in-memory store in tests.
/// Keys are full object keys (the caller adds its prefix). Every method is safe to call concurrently.
/// </summary>
public interface IBackupObjectStore
{
    /// <summary>
    /// Starts a multipart upload of one large object. Bytes written to <see cref="IBackupObjectUpload.Content"/> are cut
    /// into parts and uploaded in parallel with bounded memory; nothing is visible under <paramref name="key"/> until
    /// <see cref="IBackupObjectUpload.CompleteAsync"/> succeeds.
    /// </summary>
    /// <param name="key">Object key.</param>
    /// <param name="options">Size estimate (chooses the part size), parallelism, encryption.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The upload in progress; dispose it to abort when it was not completed.</returns>
    Task<IBackupObjectUpload> StartUploadAsync(string key, BackupUploadOptions options, CancellationToken cancellationToken);

    /// <summary>Writes a small object (a manifest) in one request, replacing any object with that key.</summary>
    /// <param name="key">Object key.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="contentType">MIME type, for example <c>application/json</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the object is stored.</returns>
    Task PutObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Reads a small object fully.</summary>
    /// <param name="key">Object key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes, or <see langword="null"/> when no object has that key.</returns>
    Task<byte[]?> GetObjectAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens an object for one sequential read (a restore or a verify streams through it).</summary>
    /// <param name="key">Object key.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>A read-only stream; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">No object has that key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Lists the objects whose keys start with <paramref name="prefix"/>, in key order.</summary>
    /// <param name="prefix">Key prefix.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The objects, page by page.</returns>
    IAsyncEnumerable<BackupObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes an object; deleting a missing key is not an error.</summary>
    /// <param name="key">Object key.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>A task that completes when the object is gone.</returns>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>A multipart upload in progress. Write the object to <see cref="Content"/>, then complete or abort it.</summary>
public interface IBackupObjectUpload : IAsyncDisposable
{
    /// <summary>The key being written.</summary>
    string Key { get; }

    /// <summary>
    /// Write-only stream of the object's bytes. Writes wait (asynchronously) while the bounded part buffers are full,
    /// so a fast producer cannot grow memory. A part that fails for good faults the next write or the completion.
    /// </summary>
    Stream Content { get; }

    /// <summary>Uploads the last part and completes the multipart upload.</summary>
    /// <param name="cancellationToken">Cancels the completion (the upload is then aborted).</param>
    /// <returns>What was stored: size, part count and SHA-256 of the whole object.</returns>
    Task<BackupObjectUploadResult> CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Aborts the multipart upload so no part is kept (and billed). Safe to call more than once.</summary>
    /// <param name="cancellationToken">Cancels the abort.</param>
    /// <returns>A task that completes when the upload is aborted.</returns>
    Task AbortAsync(CancellationToken cancellationToken);
}

/// <summary>How to upload one backup object.</summary>
public sealed record BackupUploadOptions
{
    /// <summary>Expected object size in bytes (for example from <c>$collStats</c>): the part size is chosen so the
    /// object fits in S3's 10,000 parts, and never below S3's 5 MiB minimum.</summary>
    /// <value>Default: 0 (unknown: the minimum part size that still allows a 5 TiB object is used).</value>
    public long EstimatedSizeBytes { get; init; }

    /// <summary>Parts uploaded at the same time; memory held is about (parallelism + 1) × part size.</summary>
    /// <value>Default: 4.</value>
    public int MaxParallelParts { get; init; } = 4;

    /// <summary>KMS key (id, alias or ARN) for SSE-KMS; <see langword="null"/> uses the bucket's default encryption.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? KmsKeyId { get; init; }

    /// <summary>MIME type of the object.</summary>
    /// <value>Default: <c>application/gzip</c>.</value>
    public string ContentType { get; init; } = "application/gzip";
}

/// <summary>What a completed upload stored.</summary>
/// <param name="Key">Object key.</param>
/// <param name="SizeBytes">Object size in bytes.</param>
/// <param name="PartCount">Number of parts uploaded.</param>
/// <param name="Sha256">SHA-256 of the whole object, lowercase hex.</param>
public sealed record BackupObjectUploadResult(string Key, long SizeBytes, int PartCount, string Sha256);

/// <summary>An object found by <see cref="IBackupObjectStore.ListAsync"/>.</summary>
/// <param name="Key">Object key.</param>
/// <param name="SizeBytes">Object size in bytes.</param>
/// <param name="LastModified">When the object was written.</param>
public sealed record BackupObjectInfo(string Key, long SizeBytes, DateTimeOffset LastModified);
