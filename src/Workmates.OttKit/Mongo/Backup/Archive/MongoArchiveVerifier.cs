using System.Security.Cryptography;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// Checks a stored archive without restoring it: the SHA-256 of the stream as stored, the archive structure, and every
/// namespace's CRC-64. Documents are not decoded beyond their length prefix.
/// </summary>
public static class MongoArchiveVerifier
{
    /// <summary>Reads <paramref name="stream"/> to its end (plain or gzip, detected) and verifies the archive in it.</summary>
    /// <param name="stream">The archive as stored (for example an S3 object); not disposed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report of a valid archive.</returns>
    /// <exception cref="MongoArchiveFormatException">The archive is malformed, truncated, or a CRC does not match (the
    /// exception names the namespace and offset).</exception>
    public static Task<MongoArchiveVerification> VerifyAsync(Stream stream, CancellationToken cancellationToken = default) =>
        VerifyAsync(stream, expectedPreludeSha256: null, cancellationToken);

    /// <summary>
    /// Verifies the archive in <paramref name="stream"/> and its prelude against a recorded SHA-256 (the manifest's
    /// <see cref="BackupManifest.PreludeSha256"/>): mongodump's format checksums documents only, so without it an
    /// altered prelude (collection options, index specifications) can pass.
    /// </summary>
    /// <param name="stream">The archive as stored; not disposed.</param>
    /// <param name="expectedPreludeSha256">The prelude's recorded SHA-256 (lowercase hex), or null to skip the check.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The report of a valid archive.</returns>
    /// <exception cref="MongoArchiveFormatException">The archive is malformed, truncated, a CRC does not match, or the
    /// prelude differs from <paramref name="expectedPreludeSha256"/>.</exception>
    public static async Task<MongoArchiveVerification> VerifyAsync(Stream stream, string? expectedPreludeSha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hashing = new HashingReadStream(stream);
        await using var disposeHashing = hashing.ConfigureAwait(false);
        var reader = new MongoArchiveReader(hashing, new MongoArchiveReaderOptions { BatchSizeBytes = 4 * 1024 * 1024 });
        await using var disposeReader = reader.ConfigureAwait(false);
        MongoArchivePrelude? prelude = null;
        await foreach (var item in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item is MongoArchivePreludeItem p)
            {
                prelude = p.Prelude;
                if (expectedPreludeSha256 is not null && !string.Equals(expectedPreludeSha256, reader.PreludeSha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new MongoArchiveFormatException($"The prelude's SHA-256 is {reader.PreludeSha256}, {expectedPreludeSha256} was recorded: the collection options or index specifications were altered", null, 0);
                }
            }
        }

        // Bytes after the end of a gzip member the decompressor did not need still belong to the stored object.
        await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
        return new MongoArchiveVerification(
            prelude!,
            reader.CompletedNamespaces.ToArray(),
            reader.Position,
            hashing.BytesRead,
            reader.IsGzip,
            hashing.Sha256())
        {
            PreludeSha256 = reader.PreludeSha256 ?? string.Empty,
        };
    }

    /// <summary>Passes reads through and hashes and counts every byte read.</summary>
    private sealed class HashingReadStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[81920];
            while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Account(buffer[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Account(buffer.Span[..n]);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Account(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            BytesRead += bytes.Length;
        }
    }
}

/// <summary>The result of <see cref="MongoArchiveVerifier.VerifyAsync(Stream, string?, CancellationToken)"/> on a valid archive.</summary>
/// <param name="Prelude">The archive's header and collection entries.</param>
/// <param name="Namespaces">Every namespace with its documents, bytes and verified CRC-64, in archive order.</param>
/// <param name="ArchiveBytes">Size of the archive before compression.</param>
/// <param name="StoredBytes">Size of the stream as stored (compressed when <paramref name="Gzip"/>).</param>
/// <param name="Gzip">Whether the stream was gzip-compressed.</param>
/// <param name="Sha256">SHA-256 of the stream as stored, lowercase hex.</param>
public sealed record MongoArchiveVerification(
    MongoArchivePrelude Prelude,
    IReadOnlyList<MongoArchiveNamespaceSummary> Namespaces,
    long ArchiveBytes,
    long StoredBytes,
    bool Gzip,
    string Sha256)
{
    /// <summary>SHA-256 (lowercase hex) of the uncompressed prelude: compare it with the manifest's record.</summary>
    public string PreludeSha256 { get; init; } = string.Empty;

    /// <summary>Documents over all namespaces.</summary>
    public long Documents => Namespaces.Sum(n => n.Documents);

    /// <summary>BSON document bytes over all namespaces.</summary>
    public long DocumentBytes => Namespaces.Sum(n => n.Bytes);

    /// <summary>Namespaces whose CRC-64 matched (all of them: a mismatch fails the verification).</summary>
    public int CrcsVerified => Namespaces.Count;
}
