using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Benchmarks.Backup;

/// <summary>
/// The archive writer on 256 MiB of 1 KiB documents, fed in 1 MiB raw batches (as getMore replies arrive), against
/// the same bytes written straight to the same sink: the writer's cost is the copy into segments, the CRC-64, the
/// framing and the queue hand-off.
/// <c>dotnet run -c Release --project tests/Workmates.OttKit.Benchmarks -- --filter *MongoArchiveWriter* --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class MongoArchiveWriterBenchmarks
{
    private const int TotalBytes = 256 * 1024 * 1024;
    private const int DocumentSize = 1024;
    private const int BatchDocuments = 1024;

    private byte[] _data = [];
    private MongoArchivePrelude _prelude = null!;

    /// <summary>Namespaces written in parallel (the data is split evenly).</summary>
    [Params(1, 4)]
    public int Producers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = BuildDocuments(TotalBytes / DocumentSize, DocumentSize);
        _prelude = new MongoArchivePrelude(
            new MongoArchiveHeader { ServerVersion = "7.0.16", ToolVersion = "bench" },
            Enumerable.Range(0, 4).Select(i => new MongoArchiveCollectionEntry { Database = "ott", Collection = "c" + i, Type = "collection" }).ToArray());
    }

    [Benchmark(Baseline = true, Description = "raw Stream.Write of the same bytes")]
    public long RawStreamWrite()
    {
        var sink = new CopySink();
        for (var offset = 0; offset < _data.Length; offset += BatchDocuments * DocumentSize)
        {
            sink.Write(_data, offset, BatchDocuments * DocumentSize);
        }

        return sink.Length;
    }

    [Benchmark(Description = "MongoArchiveWriter")]
    public async Task<long> ArchiveWriter()
    {
        var sink = new CopySink();
        await using var writer = await MongoArchiveWriter.StartAsync(sink, _prelude);
        var share = _data.Length / Producers;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var ns = writer.OpenNamespace(new MongoArchiveNamespace("ott", "c" + i));
            if (i < Producers)
            {
                for (var offset = i * share; offset < (i + 1) * share; offset += BatchDocuments * DocumentSize)
                {
                    await ns.WriteDocumentsAsync(_data.AsMemory(offset, BatchDocuments * DocumentSize));
                }
            }

            await ns.CompleteAsync();
        })));
        var result = await writer.CompleteAsync();
        return result.ArchiveBytes;
    }

    internal static byte[] BuildDocuments(int count, int size)
    {
        // {_id: int32, p: binary(size - 22)} is exactly `size` bytes; the payload is random so nothing is trivially compressible.
        var data = new byte[count * size];
        var random = new Random(42);
        random.NextBytes(data);
        for (var i = 0; i < count; i++)
        {
            var doc = data.AsSpan(i * size, size);
            BinaryPrimitives.WriteInt32LittleEndian(doc, size);
            doc[4] = 0x10;
            "_id\0"u8.CopyTo(doc[5..]);
            BinaryPrimitives.WriteInt32LittleEndian(doc[9..], i);
            doc[13] = 0x05;
            "p\0"u8.CopyTo(doc[14..]);
            BinaryPrimitives.WriteInt32LittleEndian(doc[16..], size - 22);
            doc[20] = 0x00;
            doc[^1] = 0;
        }

        return data;
    }

    /// <summary>A write-only sink that copies into a small reused buffer (memory traffic like a real consumer, no growth).</summary>
    private sealed class CopySink : Stream
    {
        private readonly byte[] _ring = new byte[4 * 1024 * 1024];
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var at = (int)(_length % _ring.Length);
                var n = Math.Min(buffer.Length, _ring.Length - at);
                buffer[..n].CopyTo(_ring.AsSpan(at));
                buffer = buffer[n..];
                _length += n;
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>
/// CRC-64/XZ throughput on 64 MiB: <see cref="Crc64Xz.Compute"/> (carry-less multiplication folding where the CPU has
/// PCLMULQDQ) and the slicing-by-8 tables alone, against the byte-at-a-time table algorithm (baseline) and SHA-256 (which
/// the verifier and the upload compute over the same data).
/// <c>dotnet run -c Release --project tests/Workmates.OttKit.Benchmarks -- --filter *Crc64* --job short --inProcess</c>.
/// </summary>
public class Crc64XzBenchmarks
{
    private byte[] _data = [];

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[64 * 1024 * 1024];
        new Random(7).NextBytes(_data);
    }

    [Benchmark(Baseline = true, Description = "CRC-64 byte at a time")]
    public ulong Bytewise() => Crc64Xz.AppendBytewise(0, _data);

    [Benchmark(Description = "CRC-64 slicing-by-8")]
    public ulong SlicingBy8() => Crc64Xz.AppendSlicingBy8(0, _data);

    [Benchmark(Description = "CRC-64 Crc64Xz.Compute (PCLMULQDQ)")]
    public ulong Compute() => Crc64Xz.Compute(_data);

    [Benchmark(Description = "SHA-256 (reference)")]
    public byte[] Sha256() => SHA256.HashData(_data);
}
