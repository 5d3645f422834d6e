using System.Diagnostics;
using System.Globalization;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Benchmarks.Mongo.Bson;

/// <summary>
/// Console mode for the cross-language comparison (<c>dotnet run -c Release -- bson-throughput --data FILE</c>):
/// generates the OTT data set when the file is missing, then measures full decode to the model, raw validation, raw
/// validation plus a walk of every element, and encode, each as the best of several passes over all documents.
/// Prints one JSON line; <c>run-bson-comparison.sh</c> runs js-bson and PyMongo on the same file and tabulates.
/// </summary>
internal static class BsonThroughput
{
    public static int Run(string[] args)
    {
        var data = Argument(args, "--data") ?? Path.Combine(Path.GetTempPath(), "ottkit-bson-dataset.bson");
        var sizeMb = int.Parse(Argument(args, "--size-mb") ?? "100", CultureInfo.InvariantCulture);
        var passes = int.Parse(Argument(args, "--passes") ?? "5", CultureInfo.InvariantCulture);
        if (!File.Exists(data))
        {
            var written = OttDataSet.WriteFile(data, sizeMb * 1_000_000L);
            Console.Error.WriteLine($"generated {written} bytes into {data}");
        }

        var bytes = File.ReadAllBytes(data);
        var memory = (ReadOnlyMemory<byte>)bytes;
        var documents = OttDataSet.Split(bytes);
        var decoded = new BsonDocument[documents.Count];

        var decodeNoTable = Measure(bytes.Length, passes, () =>
        {
            for (var i = 0; i < documents.Count; i++)
            {
                var (offset, length) = documents[i];
                decoded[i] = BsonDocument.FromBson(bytes.AsSpan(offset, length));
            }
        });

        // What a long-lived reader (wire client, bulk restore) does: one options instance with a shared name table.
        var options = new BsonReadOptions { NameTable = new BsonNameTable() };
        var decode = Measure(bytes.Length, passes, () =>
        {
            for (var i = 0; i < documents.Count; i++)
            {
                var (offset, length) = documents[i];
                decoded[i] = BsonDocument.FromBson(bytes.AsSpan(offset, length), options);
            }
        });

        var validate = Measure(bytes.Length, passes, () =>
        {
            foreach (var (offset, length) in documents)
            {
                RawBsonDocument.Create(memory.Slice(offset, length));
            }
        });

        long elements = 0;
        var walk = Measure(bytes.Length, passes, () =>
        {
            elements = 0;
            foreach (var (offset, length) in documents)
            {
                elements += Walk(RawBsonDocument.Create(memory.Slice(offset, length)));
            }
        });

        var encode = Measure(bytes.Length, passes, () =>
        {
            foreach (var document in decoded)
            {
                _ = document.ToBson();
            }
        });

        using var writer = new BsonWriter(1 << 16);
        var encodePooled = Measure(bytes.Length, passes, () =>
        {
            foreach (var document in decoded)
            {
                writer.Reset();
                writer.WriteDocument(document);
            }
        });

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"peer\":\"Workmates.OttKit (.NET {Environment.Version})\",\"bytes\":{bytes.Length},\"documents\":{documents.Count},\"elements\":{elements}," +
            $"\"decode_MBps\":{decode.Cpu:F1},\"decode_wall_MBps\":{decode.Wall:F1},\"decode_no_name_table_MBps\":{decodeNoTable.Cpu:F1}," +
            $"\"encode_wall_MBps\":{encode.Wall:F1},\"encode_MBps\":{encode.Cpu:F1},\"encode_pooled_MBps\":{encodePooled.Cpu:F1}," +
            $"\"raw_validate_MBps\":{validate.Cpu:F1},\"raw_walk_MBps\":{walk.Cpu:F1}}}"));
        return 0;
    }

    private static long Walk(RawBsonDocument document)
    {
        long count = 0;
        foreach (var element in document)
        {
            count++;
            if (element.Value.Type is BsonType.Document or BsonType.Array)
            {
                count += Walk(new RawBsonDocument(element.Value.RawBytes));
            }
        }

        return count;
    }

    /// <summary>
    /// Runs one warm-up pass, then <paramref name="passes"/> timed passes; returns the best MB/s (10^6 bytes) by process
    /// CPU time (all threads, so GC work counts) and by wall time. CPU time is the figure compared across languages
    /// because the shared build machine is heavily loaded and wall time mostly measures the neighbours.
    /// </summary>
    private static (double Cpu, double Wall) Measure(long bytes, int passes, Action pass)
    {
        pass();
        var bestCpu = double.MaxValue;
        var bestWall = double.MaxValue;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < passes; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            pass();
            bestWall = Math.Min(bestWall, stopwatch.Elapsed.TotalSeconds);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds);
        }

        return (bytes / 1e6 / bestCpu, bytes / 1e6 / bestWall);
    }

    private static string? Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
