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
        var python = GzipTools.Require("python3", "apt-get install python3");
        var (bytes, sent, result) = await WriteArchiveAsync(Parallel);
        var path = Path.Combine(Path.GetTempPath(), $"ottkit-parallel-{Guid.NewGuid():N}.archive.gz");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        try
        {
            var (exitCode, stdout, stderr) = await GzipTools.RunAsync(python, [Path.Combine(AppContext.BaseDirectory, "Mongo", "Backup", "Archive", "read_gzip_archive.py"), path], Ct);
            Assert.True(exitCode == 0, stderr);

            using var summary = JsonDocument.Parse(stdout);
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

    [Fact(Timeout = TestTimeouts.External)]
    public async Task RealMongodumpArchives_RewrittenWithParallelCompression_GunzipToTheOriginalBytes()
    {
        // Every real archive of the conformance data is parsed, written again through the archive writer with the
        // parallel compressor, and the gzip stream is read back three ways: .NET's GZipStream, the project's reader
        // (every CRC-64) and GNU gzip -dc, a reader that shares nothing with this code. All must give the original bytes.
        var gzip = GzipTools.Require("gzip", "apt-get install gzip");
        var archives = ArchiveTestData.RealArchives();
        var failures = new List<string>();
        foreach (var path in archives)
        {
            var original = await File.ReadAllBytesAsync(path, Ct);
            var parsed = await ArchiveTestData.ReadAllAsync(new MemoryStream(original), new MongoArchiveReaderOptions { ValidateMetadata = false });
            var output = new MemoryStream();
            await using (var writer = await MongoArchiveWriter.StartGzipAsync(output, parsed.Prelude!, Parallel with { Workers = 2 }, cancellationToken: Ct))
            {
                foreach (var end in parsed.Ends)
                {
                    var ns = writer.OpenNamespace(end.Namespace);
                    foreach (var batch in parsed.Documents.Where(d => d.Namespace == end.Namespace))
                    {
                        await ns.WriteDocumentsAsync(batch.Bytes, Ct);
                    }

                    await ns.CompleteAsync(Ct);
                }

                await writer.CompleteAsync(Ct);
            }

            var gz = output.ToArray();
            var viaDotNet = new MemoryStream();
            await using (var gunzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress))
            {
                await gunzip.CopyToAsync(viaDotNet, Ct);
            }

            var file = Path.Combine(Path.GetTempPath(), $"ottkit-real-{Guid.NewGuid():N}.archive.gz");
            await File.WriteAllBytesAsync(file, gz, Ct);
            try
            {
                var (exitCode, viaGnuGzip, error) = await GzipTools.RunAsync(gzip, ["-dc", file], Ct);
                var name = Path.GetFileName(path);
                if (exitCode != 0)
                {
                    failures.Add($"{name}: gzip -dc exited {exitCode}: {error}");
                }
                else if (!viaGnuGzip.AsSpan().SequenceEqual(original))
                {
                    failures.Add($"{name}: gzip -dc gives {viaGnuGzip.Length} bytes that differ from the original {original.Length}");
                }

                if (!viaDotNet.ToArray().AsSpan().SequenceEqual(original))
                {
                    failures.Add($"{name}: GZipStream gives {viaDotNet.Length} bytes that differ from the original {original.Length}");
                }

                var reread = await ArchiveTestData.ReadAllAsync(new MemoryStream(gz), new MongoArchiveReaderOptions { ValidateMetadata = false });
                if (!reread.Ends.SequenceEqual(parsed.Ends))
                {
                    failures.Add($"{name}: the reader's namespace summaries differ after the rewrite");
                }
            }
            finally
            {
                File.Delete(file);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"real archives re-written with parallel gzip and read back identical: {archives.Count - failures.Count} of {archives.Count}");
        Assert.NotEmpty(archives);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
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
