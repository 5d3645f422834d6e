using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// A write-only stream that gzips what is written to it on several threads and still produces <b>one</b> gzip member
/// (RFC 1952): one header, one raw deflate stream, one trailer with the CRC-32 and length of everything written.
/// </summary>
/// <remarks>
/// <para>
/// How (pigz's method, written from its description): the input is cut into blocks of a fixed size. Each block is
/// deflated by a worker and ends with a sync flush (an empty stored block), so its output ends on a byte boundary and
/// the outputs can simply be concatenated; only the last block ends with a final block. A deflate decoder keeps a
/// 32 KiB window of what it has already produced, so a block may refer back into the end of the block before it. To
/// let the compressor find those matches, the worker first deflates the previous block's last 32 KiB, flushes, and
/// drops that output: the compressor's window and match tables now hold those bytes, and everything after the flush
/// is valid exactly where it is placed, after the previous block's output. (System.IO.Compression has no preset
/// dictionary for raw deflate; this gives the same window at the cost of deflating 32 KiB more per block.)
/// Each worker also computes its block's CRC-32; the writer combines them in order.
/// </para>
/// <para>
/// Blocks are cut by size alone, never by <see cref="Flush"/>, so the output depends only on the bytes, the level, the
/// block size and priming, not on the write pattern or on thread timing.
/// </para>
/// <para>
/// Memory: at most <c>workers + queued</c> blocks exist at a time, counting the one being filled; a write that needs a
/// new block waits until the writer has written out the oldest one. A failure of a worker or of the destination stops
/// everything and is thrown by the next write or by <see cref="CompleteAsync"/>. Disposing without
/// <see cref="CompleteAsync"/> abandons the stream: no final block and no trailer are written, so a reader sees a
/// truncated gzip stream. The destination is never disposed.
/// </para>
/// </remarks>
internal sealed class ParallelGzipStream : Stream
{
    /// <summary>The deflate window: how far back a block may refer.</summary>
    internal const int WindowBytes = 32 * 1024;

    private readonly Stream _destination;
    private readonly int _level;
    private readonly int _blockSize;
    private readonly bool _prime;
    private readonly int _outputCapacity;
    private readonly SemaphoreSlim _slots;
    private readonly BlockingCollection<GzipBlock> _work = [];
    private readonly Channel<GzipBlock> _ordered;
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentStack<byte[]> _inputBuffers = new();
    private readonly ConcurrentStack<byte[]> _outputBuffers = new();
    private readonly Task[] _workers;
    private readonly Task _writer;
    private readonly byte[] _tail = new byte[WindowBytes];
    private int _tailLength;
    private GzipBlock? _current;
    private ExceptionDispatchInfo? _failure;
    private int _inputBuffersCreated;
    private long _written;
    private long _compressed;
    private long _workerIdleTicks;
    private long _producerWaitTicks;
    private long _writerWaitTicks;
    private long _destinationTicks;
    private uint _crc;
    private bool _completed;
    private bool _finished;
    private bool _stopped;
    private bool _disposed;

    /// <summary>Starts the workers and the writer; the gzip header is written at once.</summary>
    /// <param name="destination">Where the gzip stream goes; writes to it come from one task at a time, in order.</param>
    /// <param name="options">Level, workers, block size, queue, priming (validated here).</param>
    /// <exception cref="Blueprint.OttKitValidationException">A member of <paramref name="options"/> is out of range (all are named, with the fix).</exception>
    public ParallelGzipStream(Stream destination, ArchiveCompressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _destination = destination;
        _level = options.ZlibLevel;
        _blockSize = options.BlockSizeBytes;
        _prime = options.PrimeDictionary;
        // Half a block holds the output of anything that compresses at all (archives of documents: about a third); a
        // block that does not compress grows its buffer once, and the grown buffer is reused from then on.
        _outputCapacity = (_blockSize / 2) + 4096;
        Slots = options.Workers + options.EffectiveQueuedBlocks;
        _slots = new SemaphoreSlim(Slots, Slots);
        _ordered = Channel.CreateUnbounded<GzipBlock>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
        _writer = Task.Run(WriteOutAsync, CancellationToken.None);
        _workers = new Task[options.Workers];
        for (var i = 0; i < _workers.Length; i++)
        {
            // Dedicated threads: a deflate worker is busy for milliseconds per block, and on the thread pool it would
            // hold the threads that the writer's continuations and the caller's producers need.
            _workers[i] = Task.Factory.StartNew(DeflateBlocks, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => !_stopped && !_completed;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Blocks that may exist at a time (workers + queued): the memory bound in blocks.</summary>
    internal int Slots { get; }

    /// <summary>Input block buffers allocated so far (they are reused; never more than <see cref="Slots"/>).</summary>
    internal int InputBuffersCreated => Volatile.Read(ref _inputBuffersCreated);

    /// <summary>Uncompressed bytes written out so far (whole blocks only).</summary>
    internal long UncompressedBytesWritten => Interlocked.Read(ref _written);

    // The profile's timestamps (Waits) only; nothing the stream does depends on them.
    private readonly TimeProvider _profileClock = TimeProvider.System;

    /// <summary>Gzip bytes written to the destination so far, header and trailer included.</summary>
    internal long CompressedBytesWritten => Interlocked.Read(ref _compressed);

    /// <summary>
    /// Where the threads of the pipeline waited (for the benchmark harness's profile): workers with no block to deflate,
    /// the producer with no free block, the writer for the next block in order, and the time the writer spent in the
    /// destination's writes (the upload's buffering and hashing). A few timestamps per block; no effect on the output.
    /// </summary>
    internal ParallelGzipWaits Waits => new(
        _profileClock.GetElapsedTime(0, Interlocked.Read(ref _workerIdleTicks)),
        _profileClock.GetElapsedTime(0, Interlocked.Read(ref _producerWaitTicks)),
        _profileClock.GetElapsedTime(0, Interlocked.Read(ref _writerWaitTicks)),
        _profileClock.GetElapsedTime(0, Interlocked.Read(ref _destinationTicks)));

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        while (!buffer.IsEmpty)
        {
            if (_current is null)
            {
                WaitForSlot(CancellationToken.None);
                _current = NewBlock();
            }

            buffer = Fill(_current, buffer);
        }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        while (!buffer.IsEmpty)
        {
            if (_current is null)
            {
                await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
                _current = NewBlock();
            }

            var before = buffer.Length;
            var rest = Fill(_current, buffer.Span);
            buffer = buffer[(before - rest.Length)..];
        }
    }

    /// <summary>Does nothing: blocks are cut by size only, so the output does not depend on when a caller flushes.</summary>
    public override void Flush()
    {
    }

    /// <summary>Does nothing (see <see cref="Flush"/>).</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Ends the gzip stream: deflates the last (partial, possibly empty) block as the final one, waits until every
    /// block and the trailer are written, and flushes the destination. Call it once; then dispose.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (the stream is then unusable; dispose it).</param>
    /// <returns>A task that completes when the whole gzip stream is in the destination.</returns>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        if (_current is null)
        {
            await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
            _current = NewBlock();
        }

        Submit(final: true);
        _completed = true;
        _ordered.Writer.TryComplete();
        _work.CompleteAdding();
        try
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (_failure is not null && !cancellationToken.IsCancellationRequested)
        {
            _failure.Throw();
        }

        await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        _finished = true;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Stops the workers and the writer; without <see cref="CompleteAsync"/> the gzip stream stays unfinished.</summary>
    /// <returns>A task that completes when every worker has stopped.</returns>
    public override async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await StopAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            if (!_stopped)
            {
                _stopped = true;
                StopAsync().GetAwaiter().GetResult();
            }

            _disposed = true;
            _abort.Dispose();
            _slots.Dispose();
            _work.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The ten-byte gzip header: deflate, no name or comment, no time, the level hint, OS unknown.</summary>
    internal static byte[] Header(int zlibLevel) =>
        [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, zlibLevel == 1 ? (byte)4 : zlibLevel == 9 ? (byte)2 : (byte)0, 0xFF];

    private async Task StopAsync()
    {
        if (!_finished)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        _ordered.Writer.TryComplete();
        if (!_work.IsAddingCompleted)
        {
            _work.CompleteAdding();
        }

        await Task.WhenAll([_writer, .. _workers]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private ReadOnlySpan<byte> Fill(GzipBlock block, ReadOnlySpan<byte> buffer)
    {
        var take = Math.Min(buffer.Length, _blockSize - block.Length);
        buffer[..take].CopyTo(block.Buffer.AsSpan(block.DictionaryLength + block.Length));
        block.Length += take;
        if (block.Length == _blockSize)
        {
            Submit(final: false);
        }

        return buffer[take..];
    }

    private GzipBlock NewBlock()
    {
        if (!_inputBuffers.TryPop(out var buffer))
        {
            buffer = new byte[(_prime ? WindowBytes : 0) + _blockSize];
            Interlocked.Increment(ref _inputBuffersCreated);
        }

        var block = new GzipBlock(buffer) { DictionaryLength = _tailLength };
        _tail.AsSpan(0, _tailLength).CopyTo(buffer);
        return block;
    }

    private void Submit(bool final)
    {
        var block = _current!;
        _current = null;
        block.Final = final;
        if (_prime && !final)
        {
            _tailLength = Math.Min(WindowBytes, block.Length);
            block.Data[^_tailLength..].CopyTo(_tail);
        }

        // Both channels are unbounded: the slots already bound what can be in them.
        if (_work.IsAddingCompleted || !_ordered.Writer.TryWrite(block) || !_work.TryAdd(block))
        {
            ThrowIfFailed();
            throw new ObjectDisposedException(nameof(ParallelGzipStream));
        }
    }

    private void WaitForSlot(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return;
        }

        var started = _profileClock.GetTimestamp();
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
            _slots.Wait(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfFailed();
            throw;
        }
        finally
        {
            Interlocked.Add(ref _producerWaitTicks, _profileClock.GetTimestamp() - started);
        }
    }

    private async ValueTask WaitForSlotAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return;
        }

        var started = _profileClock.GetTimestamp();
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
            await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfFailed();
            throw;
        }
        finally
        {
            Interlocked.Add(ref _producerWaitTicks, _profileClock.GetTimestamp() - started);
        }
    }

    private void DeflateBlocks()
    {
        while (true)
        {
            var idle = _profileClock.GetTimestamp();
            GzipBlock? block;
            try
            {
                if (!_work.TryTake(out block, Timeout.Infinite, _abort.Token))
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (_work.IsCompleted)
            {
                return;
            }

            Interlocked.Add(ref _workerIdleTicks, _profileClock.GetTimestamp() - idle);
            try
            {
                Deflate(block);
                block.Compressed.TrySetResult();
            }
            catch (Exception e)
            {
                block.Compressed.TrySetException(e);
            }
        }
    }

    private void Deflate(GzipBlock block)
    {
        var output = new BlockOutput(_outputBuffers.TryPop(out var reused) ? reused : new byte[_outputCapacity]);
        using (var deflate = new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = _level }, leaveOpen: true))
        {
            if (block.DictionaryLength > 0)
            {
                // Prime the window with the previous block's tail, then drop what that produced (see the remarks).
                deflate.Write(block.Buffer, 0, block.DictionaryLength);
                deflate.Flush();
                output.Restart();
            }

            deflate.Write(block.Data);
            if (!block.Final)
            {
                // A sync flush ends the block on a byte boundary; the final block that disposing adds is not kept.
                deflate.Flush();
                output.Seal();
            }
        }

        if (block.Final && output.Filled == 0)
        {
            // An empty final block with fixed codes, in case the compressor wrote nothing for an empty input.
            output.Write([0x03, 0x00]);
        }

        block.Crc = GzipCrc32.Compute(block.Data);
        block.Output = output.Buffer;
        block.OutputLength = output.Filled;
    }

    private async Task WriteOutAsync()
    {
        var cancellationToken = _abort.Token;
        try
        {
            var header = Header(_level);
            await _destination.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _compressed, header.Length);
            var reader = _ordered.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var block))
                {
                    var started = _profileClock.GetTimestamp();
                    if (!block.Compressed.Task.IsCompleted)
                    {
                        await block.Compressed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                        var ready = _profileClock.GetTimestamp();
                        Interlocked.Add(ref _writerWaitTicks, ready - started);
                        started = ready;
                    }
                    else
                    {
                        await block.Compressed.Task.ConfigureAwait(false);
                    }

                    await _destination.WriteAsync(block.Output.AsMemory(0, block.OutputLength), cancellationToken).ConfigureAwait(false);
                    Interlocked.Add(ref _destinationTicks, _profileClock.GetTimestamp() - started);
                    _crc = GzipCrc32.Combine(_crc, block.Crc, block.Length);
                    Interlocked.Add(ref _written, block.Length);
                    Interlocked.Add(ref _compressed, block.OutputLength);
                    if (block.Final)
                    {
                        var trailer = new byte[8];
                        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
                        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)_written));
                        await _destination.WriteAsync(trailer, cancellationToken).ConfigureAwait(false);
                        Interlocked.Add(ref _compressed, trailer.Length);
                    }

                    _inputBuffers.Push(block.Buffer);
                    _outputBuffers.Push(block.Output!);
                    _slots.Release();
                }
            }
        }
        catch (Exception e)
        {
            // Everyone waiting (a writer on a slot, the workers on blocks) wakes up; the next call throws this.
            _failure ??= ExceptionDispatchInfo.Capture(e is OperationCanceledException && _abort.IsCancellationRequested
                ? new ObjectDisposedException(nameof(ParallelGzipStream), "The gzip stream was disposed before it was completed.")
                : e);
            await _abort.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ThrowIfNotWritable()
    {
        ThrowIfFailed();
        ObjectDisposedException.ThrowIf(_stopped, this);
        if (_completed)
        {
            throw new InvalidOperationException("The gzip stream is completed; nothing more can be written.");
        }
    }

    private void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    /// <summary>One block: the dictionary (the previous block's tail) and the data in one buffer, then the result.</summary>
    private sealed class GzipBlock(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;

        public int DictionaryLength { get; init; }

        public int Length { get; set; }

        public bool Final { get; set; }

        public ReadOnlySpan<byte> Data => Buffer.AsSpan(DictionaryLength, Length);

        public TaskCompletionSource Compressed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[]? Output { get; set; }

        public int OutputLength { get; set; }

        public uint Crc { get; set; }
    }

    /// <summary>Collects one block's deflate output in a reusable buffer; <see cref="Restart"/> drops, <see cref="Seal"/> ignores the rest.</summary>
    private sealed class BlockOutput(byte[] buffer) : Stream
    {
        private bool _sealed;

        public byte[] Buffer { get; private set; } = buffer;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Filled;

        public override long Position { get => Filled; set => throw new NotSupportedException(); }

        public int Filled { get; private set; }

        public void Restart() => Filled = 0;

        public void Seal() => _sealed = true;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_sealed)
            {
                return;
            }

            if (Filled + buffer.Length > Buffer.Length)
            {
                var grown = Buffer;
                Array.Resize(ref grown, Math.Max(Buffer.Length * 2, Filled + buffer.Length));
                Buffer = grown;
            }

            buffer.CopyTo(Buffer.AsSpan(Filled));
            Filled += buffer.Length;
        }
    }
}

/// <summary>Cumulative waits of a <see cref="ParallelGzipStream"/>'s threads (see <see cref="ParallelGzipStream.Waits"/>).</summary>
/// <param name="WorkerIdle">Summed over the workers: time with no block to deflate.</param>
/// <param name="ProducerWaitingForBlock">Time the writing caller waited for a free block (back-pressure).</param>
/// <param name="WriterWaitingInOrder">Time the writer waited for the next block in order to be deflated.</param>
/// <param name="WriterInDestination">Time the writer spent in the destination's writes.</param>
internal readonly record struct ParallelGzipWaits(TimeSpan WorkerIdle, TimeSpan ProducerWaitingForBlock, TimeSpan WriterWaitingInOrder, TimeSpan WriterInDestination);
