using System.Security.Cryptography;
using Workmates.OttKit.Mongo.Backup.Archive;

namespace Workmates.OttKit.Tests.Mongo.Backup.Archive;

/// <summary>The real archives written by mongodump (conformance folder mongodb/mongodump): read, verified, re-written.</summary>
public sealed class MongoArchiveConformanceTests
{
    private const string BadFormat = "bad-format.archive";

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_EveryRealArchive_ReadsWithEveryCrcVerified()
    {
        var archives = ArchiveTestData.RealArchives();
        var failures = new List<string>();
        int read = 0, namespaces = 0;
        long documents = 0;
        foreach (var path in archives.Where(p => !p.EndsWith(BadFormat, StringComparison.Ordinal)))
        {
            try
            {
                await using var stream = File.OpenRead(path);
                var result = await ArchiveTestData.ReadAllAsync(stream);
                read++;
                namespaces += result.Ends.Count;
                documents += result.Ends.Sum(e => e.Documents);
                var batched = result.Documents.GroupBy(d => d.Namespace).ToDictionary(g => g.Key, g => g.Sum(d => d.Count));
                foreach (var end in result.Ends.Where(e => e.Documents != batched.GetValueOrDefault(e.Namespace)))
                {
                    failures.Add($"{Path.GetFileName(path)}: {end.Namespace} batches hold {batched.GetValueOrDefault(end.Namespace)} documents, EOF counted {end.Documents}");
                }
            }
            catch (MongoArchiveFormatException ex)
            {
                failures.Add($"{Path.GetFileName(path)}: {ex.Message}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"real archives: {archives.Count} found, {read} read, {namespaces} namespaces, {documents} documents, {namespaces} CRCs verified, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(archives.Count - 1, read);
        Assert.Equal(8, namespaces);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_DumpWithOplog_HasTheOplogNamespaceLastWithItsDocuments()
    {
        await using var stream = File.OpenRead(ArchiveTestData.RealArchive("mongorestore/testdata/dump-w-oplog.archive"));

        var result = await ArchiveTestData.ReadAllAsync(stream);

        Assert.Equal(["test.foo", ".oplog", "admin.system.version"], result.Prelude!.Collections.Select(c => c.Namespace.ToString()));
        Assert.Null(result.Prelude.Collections[1].ParseMetadata());
        Assert.Equal(MongoArchiveNamespace.Oplog, result.Ends[^1].Namespace);
        Assert.Equal(18, result.Ends[^1].Documents);
        Assert.Equal(0x803BD1A62AAA916CUL, result.Ends[^1].Crc64);
        Assert.Equal(25, result.Ends.Single(e => e.Namespace == new MongoArchiveNamespace("test", "foo")).Documents);
        Assert.Equal("4.0.2", result.Prelude.Header.ServerVersion);
        Assert.Equal(4, result.Prelude.Header.ConcurrentCollections);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_TimeseriesArchive_AcceptsTheBucketsNamespaceForTheTimeseriesEntry()
    {
        await using var stream = File.OpenRead(ArchiveTestData.RealArchive("mongorestore/testdata/timeseries_tests/dump.archive"));

        var result = await ArchiveTestData.ReadAllAsync(stream);

        var entry = result.Prelude!.Collections.Single(c => c.Collection == "foo_ts");
        Assert.Equal("timeseries", entry.Type);
        Assert.Equal("ts", entry.ParseMetadata()!.Options!["timeseries"].AsDocument["timeField"].AsString);
        Assert.Equal(2, entry.ParseMetadata()!.Indexes.Count);
        var buckets = result.Ends.Single(e => e.Namespace.Collection == "system.buckets.foo_ts");
        Assert.Equal(10, buckets.Documents);
        Assert.Equal(38_020, buckets.Bytes);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_BadFormatArchive_FailsNamingTheNamespaceWithInvalidMetadata()
    {
        await using var stream = File.OpenRead(ArchiveTestData.RealArchive("mongorestore/testdata/" + BadFormat));

        var ex = await Assert.ThrowsAsync<MongoArchiveFormatException>(() => ArchiveTestData.ReadAllAsync(stream));

        Assert.Equal("test.ixtest", ex.Namespace);
        Assert.True(ex.Offset > 0);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_BadFormatArchiveWithoutMetadataValidation_StructureAndCrcAreValid()
    {
        await using var stream = File.OpenRead(ArchiveTestData.RealArchive("mongorestore/testdata/" + BadFormat));

        var result = await ArchiveTestData.ReadAllAsync(stream, new MongoArchiveReaderOptions { ValidateMetadata = false });

        Assert.Equal(0, Assert.Single(result.Ends).Documents);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ReadAsync_EveryTruncatedPrefixOfEveryRealArchive_FailsWithAFormatException()
    {
        var failures = new List<string>();
        var prefixes = 0;
        foreach (var path in ArchiveTestData.RealArchives().Where(p => !p.EndsWith(BadFormat, StringComparison.Ordinal)))
        {
            var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
            var step = Math.Max(1, bytes.Length / 97);
            for (var length = 0; length < bytes.Length; length += step)
            {
                prefixes++;
                try
                {
                    await ArchiveTestData.ReadAllAsync(new MemoryStream(bytes, 0, length));
                    failures.Add($"{Path.GetFileName(path)} cut at {length}: read without error");
                }
                catch (MongoArchiveFormatException)
                {
                    // Expected.
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"truncated prefixes: {prefixes}, accepted: {failures.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Writer_RewritingEachRealArchive_ReproducesItByteForByte()
    {
        var failures = new List<string>();
        var archives = ArchiveTestData.RealArchives();
        foreach (var path in archives)
        {
            var original = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
            var parsed = await ArchiveTestData.ReadAllAsync(new MemoryStream(original), new MongoArchiveReaderOptions { ValidateMetadata = false });
            var output = new MemoryStream();
            await using (var writer = await MongoArchiveWriter.StartAsync(output, parsed.Prelude!, cancellationToken: TestContext.Current.CancellationToken))
            {
                // Replay in the original block order: one namespace at a time, as these files were written.
                foreach (var end in parsed.Ends)
                {
                    var ns = writer.OpenNamespace(end.Namespace);
                    foreach (var batch in parsed.Documents.Where(d => d.Namespace == end.Namespace))
                    {
                        await ns.WriteDocumentsAsync(batch.Bytes, TestContext.Current.CancellationToken);
                    }

                    await ns.CompleteAsync(TestContext.Current.CancellationToken);
                }

                var result = await writer.CompleteAsync(TestContext.Current.CancellationToken);
                Assert.Equal(output.Length, result.ArchiveBytes);
                Assert.Equal(parsed.Ends, result.Namespaces);
            }

            var rewritten = output.ToArray();
            if (!rewritten.AsSpan().SequenceEqual(original))
            {
                var at = rewritten.AsSpan().CommonPrefixLength(original);
                failures.Add($"{Path.GetFileName(path)}: differs from byte {at} (original {original.Length} bytes, rewritten {rewritten.Length})");
            }
            else if (Convert.ToHexStringLower(SHA256.HashData(rewritten)) != Convert.ToHexStringLower(SHA256.HashData(original)))
            {
                failures.Add($"{Path.GetFileName(path)}: hash differs");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"real archives re-written byte for byte: {archives.Count - failures.Count} of {archives.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
