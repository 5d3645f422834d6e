using System.Security.Cryptography;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// Passes a stored object through while hashing it, and throws <see cref="BackupChecksumMismatchException"/> when the
/// end is reached and the SHA-256 (or the length) differs from the manifest's. A reader that stops before the end (a
/// decompressor that has seen its trailer) calls <see cref="ReadToEndAndVerifyAsync"/> so the check still happens.
/// </summary>
internal sealed class Sha256VerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool _leaveOpen;

    public Sha256VerifyingStream(Stream inner, string key, string expectedSha256, long? expectedLength = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        Key = key;
        ExpectedSha256 = expectedSha256.ToLowerInvariant();
        ExpectedLength = expectedLength;
        _leaveOpen = leaveOpen;
    }

    public string Key { get; }

    public string ExpectedSha256 { get; }

    public long? ExpectedLength { get; }

    public long BytesRead { get; private set; }

    /// <summary>Whether the end was reached and the hash matched.</summary>
    public bool Verified { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        return Account(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads what is left (discarding it) and verifies.</summary>
    public async Task ReadToEndAndVerifyAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (!Verified && await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
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
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> read)
    {
        if (!read.IsEmpty)
        {
            _hash.AppendData(read);
            BytesRead += read.Length;
            return read.Length;
        }

        if (!Verified)
        {
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != ExpectedSha256 || (ExpectedLength is { } length && length != BytesRead))
            {
                throw new BackupChecksumMismatchException(Key, ExpectedSha256, actual, BytesRead);
            }

            Verified = true;
        }

        return 0;
    }
}
