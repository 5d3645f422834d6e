using BenchmarkDotNet.Attributes;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Mongo.Bson;

/// <summary>
/// In-process BenchmarkDotNet view of the codec on ~8 MB of the OTT data set (decode is the baseline):
/// <c>dotnet run -c Release --project tests/Workmates.OttKit.Benchmarks -- --filter *BsonCodec* --job short</c>.
/// The cross-language comparison is the <c>bson-throughput</c> console mode.
/// </summary>
[MemoryDiagnoser]
public class BsonCodecBenchmarks
{
    private readonly BsonReadOptions _options = new() { NameTable = new BsonNameTable() };
    private byte[] _bytes = [];
    private List<(int Offset, int Length)> _documents = [];
    private BsonDocument[] _decoded = [];
    private BsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var set = new OttDataSet(20261122);
        using var writer = new BsonWriter(1 << 20);
        using var stream = new MemoryStream();
        while (stream.Length < 8_000_000)
        {
            writer.Reset();
            writer.WriteDocument(set.Next());
            stream.Write(writer.WrittenSpan);
        }

        _bytes = stream.ToArray();
        _documents = OttDataSet.Split(_bytes);
        _decoded = _documents.Select(d => BsonDocument.FromBson(_bytes.AsSpan(d.Offset, d.Length))).ToArray();
        _writer = new BsonWriter(1 << 16);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark(Baseline = true)]
    public int DecodeToModel()
    {
        var count = 0;
        foreach (var (offset, length) in _documents)
        {
            count += BsonDocument.FromBson(_bytes.AsSpan(offset, length), _options).Count;
        }

        return count;
    }

    [Benchmark]
    public int RawValidate()
    {
        var count = 0;
        var memory = (ReadOnlyMemory<byte>)_bytes;
        foreach (var (offset, length) in _documents)
        {
            count += RawBsonDocument.Create(memory.Slice(offset, length)).Length;
        }

        return count;
    }

    [Benchmark]
    public int EncodeFromModel()
    {
        var total = 0;
        foreach (var document in _decoded)
        {
            _writer.Reset();
            _writer.WriteDocument(document);
            total += _writer.Length;
        }

        return total;
    }
}
