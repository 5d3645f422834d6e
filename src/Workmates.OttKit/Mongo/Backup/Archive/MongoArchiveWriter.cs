using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// Writes a mongodump archive (<c>mongodump --archive</c>) to a stream: the magic number, the prelude (header and one
/// entry per collection), then the namespace blocks. Parallel dumpers each get a <see cref="MongoArchiveNamespaceWriter"/>
/// from <see cref="OpenNamespace"/> and feed it raw batches of BSON documents, which are never decoded. Each namespace
/// gathers its documents into segments; one consumer task writes the segments, interleaved, through a bounded queue,
/// so a fast producer waits instead of growing memory. <see cref="CompleteAsync"/> ends the archive.
/// </summary>
/// <remarks>
/// The framing is mongodump's: consecutive segments of one namespace share one block; a namespace switch ends the
/// open block with a terminator; every namespace ends with an EOF block carrying its CRC-64/XZ, after a zero-document
/// block when it had no documents (mongorestore creates empty collections and views from that block). Dispose without
/// completing to abort: queued buffers are returned and the stream is left as it is (the caller aborts the upload).
/// </remarks>
public sealed class MongoArchiveWriter : IAsyncDisposable
{
    private readonly Stream _destination;
    private readonly Stream? _gzip;
    private readonly MongoArchiveWriterOptions _options;
    private readonly IReadOnlyList<MongoArchiveCollectionEntry> _collections;
    private readonly HashSet<MongoArchiveNamespace> _allowed = [];
    private readonly Dictionary<MongoArchiveNamespace, MongoArchiveNamespaceWriter> _opened = [];
    private readonly Channel<ArchiveSegment> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private readonly List<MongoArchiveNamespaceSummary> _written = [];
    private readonly HashSet<MongoArchiveNamespace> _blocksStarted = [];
    private Task _consumer = Task.CompletedTask;
    private ExceptionDispatchInfo? _failure;
    private long _archiveBytes;
    private long _consumerIdleTicks;
    private MongoArchiveNamespace? _openBlock;
    private bool _completing;
    private bool _completed;
    private bool _disposed;

    private MongoArchiveWriter(Stream destination, Stream? gzip, MongoArchivePrelude prelude, MongoArchiveWriterOptions options)
    {
        _destination = gzip ?? destination;
        _gzip = gzip;
        _options = options;
        _collections = prelude.Collections;
        foreach (var collection in prelude.Collections)
        {
            foreach (var ns in collection.DataNamespaces())
            {
                _allowed.Add(ns);
            }
        }

        _queue = Channel.CreateBounded<ArchiveSegment>(new BoundedChannelOptions(options.MaxQueuedSegments)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Bytes of the archive written to the stream so far (before compression).</summary>
    public long ArchiveBytes => Interlocked.Read(ref _archiveBytes);

    /// <summary>The writer's memory bounds.</summary>
    public MongoArchiveWriterOptions Options => _options;

    /// <summary>The parallel compressor, when the gzip form runs on several workers (for the benchmark's profile).</summary>
    internal ParallelGzipStream? ParallelGzip => _gzip as ParallelGzipStream;

    // The profile's timestamps (ConsumerIdle) only; nothing the writer does depends on them.
    private readonly TimeProvider _profileClock = TimeProvider.System;

    /// <summary>Time the consumer (framing, then compression) waited for the dumpers' next segment.</summary>
    internal TimeSpan ConsumerIdle => _profileClock.GetElapsedTime(0, Interlocked.Read(ref _consumerIdleTicks));

    /// <summary>Writes the magic number and the prelude, and starts the writer.</summary>
    /// <param name="destination">Where the archive goes; not disposed by the writer.</param>
    /// <param name="prelude">The header and one entry per collection (plus <see cref="MongoArchiveCollectionEntry.ForOplog"/> with <c>--oplog</c>).</param>
    /// <param name="options">Memory bounds; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels writing the prelude.</param>
    /// <returns>The writer, ready for <see cref="OpenNamespace"/>.</returns>
    public static Task<MongoArchiveWriter> StartAsync(
        Stream destination, MongoArchivePrelude prelude, MongoArchiveWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return StartCoreAsync(destination, gzip: null, prelude, options, cancellationToken);
    }

    /// <summary>
    /// As <see cref="StartAsync"/>, but the whole archive byte stream (magic included) goes through one gzip stream,
    /// which is what <c>mongodump --archive --gzip</c> writes and <c>mongorestore --archive --gzip</c> reads.
    /// </summary>
    /// <param name="destination">Where the compressed archive goes; left open.</param>
    /// <param name="prelude">The header and collection entries.</param>
    /// <param name="compressionLevel">The gzip level.</param>
    /// <param name="options">Memory bounds; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels writing the prelude.</param>
    /// <returns>The writer; <see cref="CompleteAsync"/> also ends the gzip stream.</returns>
    public static Task<MongoArchiveWriter> StartGzipAsync(
        Stream destination,
        MongoArchivePrelude prelude,
        CompressionLevel compressionLevel = CompressionLevel.Fastest,
        MongoArchiveWriterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return StartCoreAsync(destination, new GZipStream(destination, compressionLevel, leaveOpen: true), prelude, options, cancellationToken);
    }

    /// <summary>
    /// As <see cref="StartAsync"/>, gzip form, compressed as <paramref name="compression"/> says: with more than one
    /// worker the archive is deflated in blocks on several threads and still written as one gzip member (see
    /// <see cref="ArchiveCompressionOptions"/>), which <c>mongorestore --archive --gzip</c> reads like any other.
    /// </summary>
    /// <param name="destination">Where the compressed archive goes; left open.</param>
    /// <param name="prelude">The header and collection entries.</param>
    /// <param name="compression">Level, workers and block size.</param>
    /// <param name="options">Memory bounds of the archive writer; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels writing the prelude.</param>
    /// <returns>The writer; <see cref="CompleteAsync"/> also ends the gzip stream.</returns>
    /// <exception cref="Blueprint.OttKitValidationException"><paramref name="compression"/> or the options have a member out of range (all are named, with the fix).</exception>
    public static Task<MongoArchiveWriter> StartGzipAsync(
        Stream destination,
        MongoArchivePrelude prelude,
        ArchiveCompressionOptions compression,
        MongoArchiveWriterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(prelude);
        ArgumentNullException.ThrowIfNull(compression);
        compression.Validate();
        (options ?? new MongoArchiveWriterOptions()).Validate();
        Stream gzip = compression.Workers == 1
            ? new GZipStream(destination, compression.Level, leaveOpen: true)
            : new ParallelGzipStream(destination, compression);
        return StartCoreAsync(destination, gzip, prelude, options, cancellationToken);
    }

    /// <summary>
    /// Opens the writer of one namespace. Call it once per namespace (each prelude entry, or the
    /// <c>system.buckets.</c> namespace of a timeseries entry, or <see cref="MongoArchiveNamespace.Oplog"/>); one producer
    /// uses it at a time, while other namespaces are written concurrently.
    /// </summary>
    /// <param name="ns">The namespace.</param>
    /// <returns>Its writer.</returns>
    /// <exception cref="ArgumentException">The namespace has no prelude entry (mongorestore would reject it).</exception>
    /// <exception cref="InvalidOperationException">The namespace was already opened, or the writer is completed.</exception>
    public MongoArchiveNamespaceWriter OpenNamespace(MongoArchiveNamespace ns)
    {
        lock (_gate)
        {
            ThrowIfNotRunning();
            if (!_allowed.Contains(ns))
            {
                throw new ArgumentException(
                    $"Namespace '{ns}' has no entry in the archive prelude; add a MongoArchiveCollectionEntry for it when starting the writer.", nameof(ns));
            }

            if (_opened.ContainsKey(ns))
            {
                throw new InvalidOperationException($"Namespace '{ns}' was already opened; an archive has one EOF block per namespace.");
            }

            var writer = new MongoArchiveNamespaceWriter(this, ns, _options.SegmentSizeBytes);
            _opened.Add(ns, writer);
            return writer;
        }
    }

    /// <summary>
    /// Ends the archive once every namespace writer has completed: waits until the queue is written, flushes the stream
    /// (and ends the gzip stream of the <c>StartGzipAsync</c> forms).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The archive size and the per-namespace counts and CRCs.</returns>
    /// <exception cref="InvalidOperationException">A namespace writer is still open, or a prelude entry got no namespace
    /// (mongorestore fails such an archive with "archive finished before all collections were seen").</exception>
    public async Task<MongoArchiveWriteResult> CompleteAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfNotRunning();
            var open = _opened.Values.Where(w => !w.IsCompleted).Select(w => w.Namespace.ToString()).ToList();
            if (open.Count > 0)
            {
                throw new InvalidOperationException($"Namespace writers not completed: {string.Join(", ", open)}. Complete each before completing the archive.");
            }

            var missing = _collections
                .Where(c => !c.DataNamespaces().Any(_opened.ContainsKey))
                .Select(c => c.Namespace.ToString())
                .ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Prelude entries without data: {string.Join(", ", missing)}. Open and complete a namespace writer for each, even an empty one; otherwise mongorestore fails with 'archive finished before all collections were seen'.");
            }

            _completing = true;
        }

        _queue.Writer.TryComplete();
        await _consumer.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_gzip is ParallelGzipStream parallel)
        {
            await parallel.CompleteAsync(cancellationToken).ConfigureAwait(false);
            await parallel.DisposeAsync().ConfigureAwait(false);
        }
        else if (_gzip is not null)
        {
            await _gzip.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        _completed = true;
        return new MongoArchiveWriteResult(ArchiveBytes, _written.ToArray());
    }

    /// <summary>Aborts the archive when it was not completed (queued segments are dropped); releases the writer's resources.</summary>
    /// <returns>A task that completes when the consumer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        if (!_completed)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            _queue.Writer.TryComplete();
            // The abort is what stopped the consumer, or the stream had already failed (and the producers were told):
            // either way the archive is abandoned, so its failure is not thrown again from here.
            await _consumer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

            DrainQueue();
            if (_gzip is ParallelGzipStream parallel)
            {
                // Abandoned: the workers stop and no trailer is written.
                await parallel.DisposeAsync().ConfigureAwait(false);
            }
            else if (_gzip is not null)
            {
                // Ending the gzip stream writes its trailer; a failing destination must not make disposal throw.
                await Task.Run(async () => await _gzip.DisposeAsync().ConfigureAwait(false), CancellationToken.None)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _abort.Dispose();
    }

    internal async ValueTask EnqueueAsync(ArchiveSegment segment, CancellationToken cancellationToken)
    {
        var enqueued = false;
        try
        {
            await _queue.Writer.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            enqueued = true;
        }
        catch (ChannelClosedException ex)
        {
            _failure?.Throw();
            throw new InvalidOperationException("The archive writer was completed or disposed; no more documents can be written.", ex);
        }
        finally
        {
            if (!enqueued && segment.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(segment.Buffer);
            }
        }
    }

    /// <summary>
    /// SHA-256 (lowercase hex) of the uncompressed prelude as written: the magic number, the header, every collection
    /// entry and the terminator. mongodump's format has no checksum there; the backup manifest records this one.
    /// </summary>
    public string PreludeSha256 { get; private set; } = string.Empty;

    internal void ThrowIfFailed() => _failure?.Throw();

    private static async Task<MongoArchiveWriter> StartCoreAsync(
        Stream destination, Stream? gzip, MongoArchivePrelude prelude, MongoArchiveWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prelude);
        options ??= new MongoArchiveWriterOptions();
        options.Validate();
        var writer = new MongoArchiveWriter(destination, gzip, prelude, options);
        try
        {
            using var bson = new BsonWriter(4096);
            var buffer = new ArrayBufferWriter<byte>(4096);
            buffer.Write(ArchiveLayout.MagicBytes);
            ArchiveLayout.WriteHeader(bson, prelude.Header);
            buffer.Write(bson.WrittenSpan);
            foreach (var collection in prelude.Collections)
            {
                bson.Reset();
                ArchiveLayout.WriteCollection(bson, collection);
                buffer.Write(bson.WrittenSpan);
            }

            buffer.Write(ArchiveLayout.TerminatorBytes);
            writer.PreludeSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.WrittenSpan));
            await writer._destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            writer._archiveBytes = buffer.WrittenCount;
            writer._consumer = Task.Run(() => writer.ConsumeAsync(writer._abort.Token), CancellationToken.None);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ThrowIfNotRunning()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completing)
        {
            throw new InvalidOperationException("The archive writer is completed.");
        }
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        using var bson = new BsonWriter(256);
        var framing = new ArrayBufferWriter<byte>(512);
        try
        {
            while (true)
            {
                var idle = _profileClock.GetTimestamp();
                if (!await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                Interlocked.Add(ref _consumerIdleTicks, _profileClock.GetTimestamp() - idle);
                while (_queue.Reader.TryRead(out var segment))
                {
                    try
                    {
                        await WriteSegmentAsync(segment, bson, framing, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (segment.Buffer is not null)
                        {
                            ArrayPool<byte>.Shared.Return(segment.Buffer);
                        }
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // Producers waiting on a full queue wake up and see this failure instead of hanging.
            _failure = ExceptionDispatchInfo.Capture(ex);
            _queue.Writer.TryComplete(ex);
            DrainQueue();
            throw;
        }
    }

    private async ValueTask WriteSegmentAsync(ArchiveSegment segment, BsonWriter bson, ArrayBufferWriter<byte> framing, CancellationToken cancellationToken)
    {
        var ns = segment.Owner.Namespace;
        if (!segment.Eof)
        {
            if (_openBlock != ns)
            {
                if (_openBlock is not null)
                {
                    framing.Write(ArchiveLayout.TerminatorBytes);
                }

                AppendHeader(bson, framing, ns, eof: false, crc: 0);
                _openBlock = ns;
                _blocksStarted.Add(ns);
            }

            await FlushFramingAsync(framing, cancellationToken).ConfigureAwait(false);
            await _destination.WriteAsync(segment.Buffer.AsMemory(0, segment.Length), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _archiveBytes, segment.Length);
            return;
        }

        if (_openBlock is not null)
        {
            framing.Write(ArchiveLayout.TerminatorBytes);
        }

        if (_openBlock != ns && _blocksStarted.Add(ns))
        {
            // As mongodump: an empty namespace still gets a zero-document block before its EOF.
            AppendHeader(bson, framing, ns, eof: false, crc: 0);
            framing.Write(ArchiveLayout.TerminatorBytes);
        }

        var owner = segment.Owner;
        AppendHeader(bson, framing, ns, eof: true, crc: owner.Crc64);
        framing.Write(ArchiveLayout.TerminatorBytes);
        _openBlock = null;
        await FlushFramingAsync(framing, cancellationToken).ConfigureAwait(false);
        _written.Add(new MongoArchiveNamespaceSummary(ns, owner.Documents, owner.Bytes, owner.Crc64));
    }

    private static void AppendHeader(BsonWriter bson, ArrayBufferWriter<byte> framing, MongoArchiveNamespace ns, bool eof, ulong crc)
    {
        bson.Reset();
        ArchiveLayout.WriteNamespaceHeader(bson, ns, eof, crc);
        framing.Write(bson.WrittenSpan);
    }

    private async ValueTask FlushFramingAsync(ArrayBufferWriter<byte> framing, CancellationToken cancellationToken)
    {
        if (framing.WrittenCount == 0)
        {
            return;
        }

        await _destination.WriteAsync(framing.WrittenMemory, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _archiveBytes, framing.WrittenCount);
        framing.ResetWrittenCount();
    }

    private void DrainQueue()
    {
        while (_queue.Reader.TryRead(out var segment))
        {
            if (segment.Buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(segment.Buffer);
            }
        }
    }
}

/// <summary>A unit of work for the consumer: documents of one namespace (a pooled buffer) or its EOF.</summary>
internal readonly record struct ArchiveSegment(MongoArchiveNamespaceWriter Owner, byte[]? Buffer, int Length, bool Eof);
