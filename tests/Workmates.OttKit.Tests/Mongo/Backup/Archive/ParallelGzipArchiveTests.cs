using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

/// <summary>Archives written with parallel compression, read by the project's reader and by an independent one.</summary>
public sealed class ParallelGzipArchiveTests
{
    private static readonly ArchiveCompressionOptions Parallel = new() { Workers = 3, MaxQueuedBlocks = 2, BlockSizeBytes = ArchiveCompressionOptions.MinBlockSizeBytes };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ParallelGzip_ArchiveIsReadBackByTheArchiveReaderAndVerifier()
    {
        var (bytes, sent, result) = await WriteArchiveAsync(Parallel);

        var read = await ArchiveTestData.ReadAllAsync(new MemoryStream(bytes));
        var verification = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(bytes), Ct);

        foreach (var (ns, documents) in sent)
        {
            Assert.Equal(documents, read.BytesOf(ns));
        }

        Assert.True(verification.Gzip);
        Assert.Equal(result.ArchiveBytes, verification.ArchiveBytes);
        Assert.Equal(result.Namespaces.OrderBy(n => n.Namespace.ToString()), verification.Namespaces.OrderBy(n => n.Namespace.ToString()));
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task ParallelGzip_ArchiveIsOneGzipMemberThatPythonAndAnIndependentParserRead()
    {
        var python = RequirePython();
        var (bytes, sent, result) = await WriteArchiveAsync(Parallel);
        var path = Path.Combine(Path.GetTempPath(), $"ottkit-parallel-{Guid.NewGuid():N}.archive.gz");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        try
        {
            var start = new ProcessStartInfo(python, [Path.Combine(AppContext.BaseDirectory, "Mongo", "Backup", "Archive", "read_gzip_archive.py"), path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            Assert.True(process.ExitCode == 0, await stderr);

            using var summary = JsonDocument.Parse(await stdout);
            var root = summary.RootElement;
            Assert.Equal(1, root.GetProperty("members").GetInt32());
            Assert.Equal(result.ArchiveBytes, root.GetProperty("archive_bytes").GetInt64());
            Assert.Equal(sent.Keys.Select(n => n.ToString()).Order(), root.GetProperty("collections").EnumerateArray().Select(e => e.GetString()!).Order());
            foreach (var written in result.Namespaces)
            {
                var ns = root.GetProperty("namespaces").GetProperty(written.Namespace.ToString());
                Assert.Equal(written.Documents, ns.GetProperty("documents").GetInt64());
                Assert.Equal(written.Bytes, ns.GetProperty("bytes").GetInt64());
                Assert.Equal(unchecked((long)written.Crc64), ns.GetProperty("crc").GetInt64());
                Assert.True(ns.GetProperty("crc_ok").GetBoolean());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SingleWorker_WritesWhatOneGZipStreamWrites()
    {
        var (bytes, _, _) = await WriteArchiveAsync(Parallel with { Workers = 1 }, namespaces: 1);
        var (reference, _, _) = await WriteArchiveAsync(null, namespaces: 1);

        Assert.Equal(reference, bytes);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task FailingDestination_FailsTheArchiveWithTheDestinationsError()
    {
        var ns = new MongoArchiveNamespace("ott", "c0");
        var prelude = ArchiveTestData.Prelude(ArchiveTestData.Collection("ott", "c0"));
        var destination = new FailAfterStream(100_000);

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var writer = await MongoArchiveWriter.StartGzipAsync(destination, prelude, Parallel, cancellationToken: Ct);
            var target = writer.OpenNamespace(ns);
            for (var i = 0; i < 200; i++)
            {
                await target.WriteDocumentsAsync(ParallelGzipStreamTests.MixedDocuments(i), Ct);
            }

            await target.CompleteAsync(Ct);
            await writer.CompleteAsync(Ct);
        });

        Assert.Contains("upload lost", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(byte[] Bytes, Dictionary<MongoArchiveNamespace, byte[]> Sent, MongoArchiveWriteResult Result)> WriteArchiveAsync(
        ArchiveCompressionOptions? compression, int namespaces = 4)
    {
        var names = Enumerable.Range(0, namespaces).Select(i => new MongoArchiveNamespace("ott", "c" + i)).ToArray();
        var prelude = ArchiveTestData.Prelude([.. names.Select(n => ArchiveTestData.Collection(n.Database, n.Collection))]);
        var sent = names.ToDictionary(n => n, _ => new MemoryStream());
        var output = new MemoryStream();
        MongoArchiveWriteResult result;
        var writerOptions = new MongoArchiveWriterOptions { SegmentSizeBytes = 20_000, MaxQueuedSegments = 2 };
        await using (var writer = compression is null
            ? await MongoArchiveWriter.StartGzipAsync(output, prelude, CompressionLevel.Fastest, writerOptions, Ct)
            : await MongoArchiveWriter.StartGzipAsync(output, prelude, compression, writerOptions, Ct))
        {
            await Task.WhenAll(names.Select((ns, index) => Task.Run(
                async () =>
                {
                    var target = writer.OpenNamespace(ns);
                    for (var batch = 0; batch < 60; batch++)
                    {
                        var bytes = ParallelGzipStreamTests.MixedDocuments((index * 1000) + batch);
                        sent[ns].Write(bytes);
                        await target.WriteDocumentsAsync(bytes, Ct);
                    }

                    await target.CompleteAsync(Ct);
                },
                Ct)));
            result = await writer.CompleteAsync(Ct);
        }

        return (output.ToArray(), sent.ToDictionary(p => p.Key, p => p.Value.ToArray()), result);
    }

    private static string RequirePython()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(folder, "python3");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        const string message = "python3 is not on PATH: the independent gzip/archive reader cannot run.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return "";
    }

    /// <summary>Accepts a number of bytes, then fails every write as a dropped upload would.</summary>
    private sealed class FailAfterStream(int limit) : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Length + buffer.Length > limit)
            {
                return ValueTask.FromException(new IOException("upload lost"));
            }

            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
