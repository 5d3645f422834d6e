using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Backup.Archive;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Fuzz;

/// <summary>
/// Bounded mutation fuzzing of every parser that reads outside input, seeded from the conformance data. Each target
/// accepts an input or refuses it with its documented exception; anything else is a crash, an input slower than
/// <see cref="MutationFuzzer.HangThreshold"/> a hang, and an oracle's disagreement a wrong result. CI runs a fixed seed
/// within the budgets below (about 45 s of CPU in all); docs/testing.md gives the figures and the longer release run.
/// </summary>
public sealed class ParserFuzzTests
{
    private static void AssertClean(FuzzReport report)
    {
        Assert.True(report.Crashes == 0 && report.Hangs == 0 && report.WrongResults == 0, report + "\n" + string.Join("\n", report.Findings));
        Assert.True(report.Inputs > 100, report.ToString());
    }

    private static IEnumerable<JsonElement> CorpusCases(string property)
    {
        foreach (var file in Conformance.Files("mongodb/bson-corpus", "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (document.RootElement.TryGetProperty(property, out var cases))
            {
                foreach (var item in cases.EnumerateArray())
                {
                    yield return item.Clone();
                }
            }
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Bson_MutatedCorpusDocuments_AreDecodedOrRefusedAndReencodeStably()
    {
        Conformance.Require("mongodb/bson-corpus");
        var seeds = CorpusCases("valid").SelectMany(c => new[] { Text(c, "canonical_bson"), Text(c, "degenerate_bson") })
            .Concat(CorpusCases("decodeErrors").Select(c => Text(c, "bson")))
            .OfType<string>().Select(Convert.FromHexString).ToList();

        var report = await MutationFuzzer.RunAsync("BSON (BsonDocument.FromBson, RawBsonDocument.Create)", seeds, input =>
        {
            BsonDocument document;
            try
            {
                document = BsonDocument.FromBson(input);
            }
            catch (BsonFormatException)
            {
                return Task.FromResult(FuzzVerdict.Rejected);
            }

            var encoded = document.ToBson();
            if (!BsonDocument.FromBson(encoded).ToBson().AsSpan().SequenceEqual(encoded))
            {
                throw new WrongResultException("re-encoding a decoded document is not stable");
            }

            try
            {
                _ = RawBsonDocument.Create(input).Count;
            }
            catch (BsonFormatException e)
            {
                throw new WrongResultException($"RawBsonDocument refused what BsonDocument accepted: {e.Message}");
            }

            return Task.FromResult(FuzzVerdict.Accepted);
        }, iterations: 150_000, TimeSpan.FromSeconds(8));

        AssertClean(report);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ExtendedJson_MutatedCorpusText_IsParsedOrRefusedAndRoundTripsCanonically()
    {
        Conformance.Require("mongodb/bson-corpus");
        var seeds = CorpusCases("valid").SelectMany(c => new[] { Text(c, "canonical_extjson"), Text(c, "relaxed_extjson"), Text(c, "degenerate_extjson") })
            .Concat(CorpusCases("parseErrors").Select(c => Text(c, "string")))
            .OfType<string>().Select(Encoding.UTF8.GetBytes).ToList();
        var dictionary = MutationFuzzer.Tokens("{", "}", "[", "]", "\"$oid\":", "\"$numberLong\":", "\"$date\":", "\"$binary\":", "\"$regex\":", "\"\\uD800\"", "\\uDC00", "1e400", "-0", "\"$code\":", "\"$scope\":", "\"$dbPointer\":", "null", ",");

        var report = await MutationFuzzer.RunAsync("Extended JSON (ExtendedJson.ParseDocument)", seeds, input =>
        {
            BsonDocument document;
            try
            {
                document = ExtendedJson.ParseDocument(Encoding.UTF8.GetString(input));
            }
            catch (BsonFormatException)
            {
                return Task.FromResult(FuzzVerdict.Rejected);
            }

            var canonical = ExtendedJson.Write(document, ExtendedJsonMode.Canonical);
            var again = ExtendedJson.Write(ExtendedJson.ParseDocument(canonical), ExtendedJsonMode.Canonical);
            if (canonical != again)
            {
                throw new WrongResultException($"canonical Extended JSON does not round-trip: {canonical} became {again}");
            }

            _ = BsonDocument.FromBson(document.ToBson());
            return Task.FromResult(FuzzVerdict.Accepted);
        }, iterations: 50_000, TimeSpan.FromSeconds(8), dictionary);

        AssertClean(report);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ConnectionStrings_MutatedSpecUris_AreParsedOrRefusedAndNeverEchoThePassword()
    {
        var seeds = new List<byte[]>();
        foreach (var folder in new[] { "mongodb/connection-string", "mongodb/uri-options", "mongodb/auth" })
        {
            Conformance.Require(folder);
            foreach (var file in Conformance.Files(folder, "*.json").Where(f => !f.EndsWith("scram-test-vectors.json", StringComparison.Ordinal)))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                seeds.AddRange(document.RootElement.GetProperty("tests").EnumerateArray().Select(t => Encoding.UTF8.GetBytes(t.GetProperty("uri").GetString()!)));
            }
        }

        var dictionary = MutationFuzzer.Tokens("@", "?", "/", ":", "%", "%3F", "%40", "%ZZ", "[", "]", ",", "&", "=", "#", "admin:2024?Summer=x@", "authMechanismProperties=AWS_SESSION_TOKEN:", "proxyPassword=", "mongodb+srv://", "user:Secret-Pw@");

        var report = await MutationFuzzer.RunAsync("Connection strings (MongoConnectionString.Parse)", seeds, input =>
        {
            var text = Encoding.UTF8.GetString(input);
            MongoConnectionString parsed;
            try
            {
                parsed = MongoConnectionString.Parse(text);
            }
            catch (MongoConfigurationException)
            {
                return Task.FromResult(FuzzVerdict.Rejected);
            }

            // A leak: the password occurs in the redacted form or a warning more often than in the rest of the URI (a
            // host named like the password is not a leak).
            if (parsed.Password is { Length: >= 4 } password && Occurrences(text, password) >= 1
                && parsed.Warnings.Append(parsed.Redacted).Any(t => Occurrences(t, password) > Occurrences(text, password) - 1))
            {
                throw new WrongResultException($"the password '{password}' is echoed: {parsed.Redacted}");
            }

            return Task.FromResult(FuzzVerdict.Accepted);
        }, iterations: 100_000, TimeSpan.FromSeconds(6), dictionary, maxLength: 4096);

        AssertClean(report);
    }

    // Case-insensitive: host names are lower-cased ("proxyPassword" in a host becomes "proxypassword").
    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Archives_MutatedMongodumpArchives_AreVerifiedOrRefusedConsistentlyWithTheReader()
    {
        var seeds = ArchiveSeeds();
        var report = await MutationFuzzer.RunAsync("Archive reader and verifier (MongoArchiveVerifier, MongoArchiveReader)", seeds, async input =>
        {
            MongoArchiveVerification verification;
            try
            {
                verification = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(input), TestContext.Current.CancellationToken);
            }
            catch (Exception e) when (e is MongoArchiveFormatException or InvalidDataException)
            {
                return FuzzVerdict.Rejected;
            }

            // Oracle: the reader sees exactly what the verifier reported, and the prelude checksum covers the prelude.
            var read = await Mongo.Backup.Archive.ArchiveTestData.ReadAllAsync(new MemoryStream(input));
            var documents = read.Documents.GroupBy(d => d.Namespace).ToDictionary(g => g.Key, g => g.Sum(d => (long)d.Count));
            foreach (var ns in verification.Namespaces)
            {
                if (documents.GetValueOrDefault(ns.Namespace) != ns.Documents)
                {
                    throw new WrongResultException($"the verifier counted {ns.Documents} documents in {ns.Namespace}, the reader {documents.GetValueOrDefault(ns.Namespace)}");
                }
            }

            var (verifiedAgain, _) = await VerifyWithPreludeAsync(input, verification.PreludeSha256);
            if (!verifiedAgain)
            {
                throw new WrongResultException("the archive fails verification against its own prelude checksum");
            }

            return FuzzVerdict.Accepted;
        }, iterations: 20_000, TimeSpan.FromSeconds(8), maxLength: 48 * 1024);

        AssertClean(report);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Archives_EverySingleByteChangeOfAPrelude_FailsVerificationAgainstTheRecordedChecksum()
    {
        // The issue's measurement: 4,226 of 8,784 single-bit flips in a real prelude passed the verifier.
        byte[]? seed = null;
        foreach (var candidate in ArchiveSeeds().Where(s => s.Length < 8192))
        {
            if (await VerifiesAsync(candidate))
            {
                seed = candidate;
                break;
            }
        }

        Assert.NotNull(seed);
        var verification = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(seed), TestContext.Current.CancellationToken);
        var preludeLength = PreludeLength(seed);
        var passed = 0;
        var passedWithoutChecksum = 0;
        var flips = 0;
        for (var at = 0; at < preludeLength; at++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = seed.ToArray();
                flipped[at] ^= (byte)(1 << bit);
                flips++;
                if ((await VerifyWithPreludeAsync(flipped, verification.PreludeSha256)).Verified)
                {
                    passed++;
                }

                if (await VerifiesAsync(flipped))
                {
                    passedWithoutChecksum++;
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"prelude of {preludeLength} bytes: {passed} of {flips} single-bit flips passed verification against the recorded prelude checksum ({passedWithoutChecksum} pass the archive's own checks alone)");
        Assert.True(flips > 1000, $"only {flips} flips");
        Assert.Equal(0, passed);
    }

    private static async Task<bool> VerifiesAsync(byte[] archive)
    {
        try
        {
            _ = await MongoArchiveVerifier.VerifyAsync(new MemoryStream(archive), TestContext.Current.CancellationToken);
            return true;
        }
        catch (Exception e) when (e is MongoArchiveFormatException or InvalidDataException)
        {
            return false;
        }
    }

    private static int PreludeLength(byte[] archive)
    {
        var at = 4;
        while (BinaryPrimitives.ReadUInt32LittleEndian(archive.AsSpan(at)) != 0xFFFFFFFF)
        {
            at += BinaryPrimitives.ReadInt32LittleEndian(archive.AsSpan(at));
        }

        return at + 4;
    }

    private static async Task<(bool Verified, string? Error)> VerifyWithPreludeAsync(byte[] archive, string preludeSha256)
    {
        try
        {
            await MongoArchiveVerifier.VerifyAsync(new MemoryStream(archive), preludeSha256, TestContext.Current.CancellationToken);
            return (true, null);
        }
        catch (Exception e) when (e is MongoArchiveFormatException or InvalidDataException)
        {
            return (false, e.Message);
        }
    }

    private static List<byte[]> ArchiveSeeds()
    {
        Conformance.Require("mongodb/mongodump");
        return [.. Conformance.Files("mongodb/mongodump", "*.archive").Select(File.ReadAllBytes).Where(b => b.Length <= 48 * 1024)];
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task SpecLoader_MutatedYamlAndJsonSpecs_AreLoadedOrRefusedWithProblems()
    {
        var yaml = new[] { "Blacksheep/blacksheep.yaml", "Owl270/owl270.yaml" }
            .Select(f => File.ReadAllBytes(Path.Combine(SampleSpecs.RepositoryRoot, "samples", f)))
            .Append(Encoding.UTF8.GetBytes(Blueprint.SpecLoaderLimitTests.AliasBomb().Replace("a9", "a2", StringComparison.Ordinal)))
            .ToList();
        var json = new List<byte[]>
        {
            Encoding.UTF8.GetBytes("""{"name":"demo","region":"ap-south-1","loadBalancer":{"certificateArn":"arn:aws:acm:ap-south-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"},"services":[{"name":"web","scaling":{"maxTasks":4}}],"tags":{"team":"media"}}"""),
        };
        var dictionary = MutationFuzzer.Tokens("&a ", "*a", "<<: *a\n", "[", "]", "{", "}", ": ", "\n- ", "\n  ", "!!str ", "!!binary ", "\"\\uD800\"", "---\n", "? ", "|\n", ">-\n", "~", "'", "\t", "%YAML 1.2\n", "&b [*a, *a, *a, *a]");

        var reports = new List<FuzzReport>();
        foreach (var (name, seeds, file, iterations) in new[] { ("YAML", yaml, "fuzz.yaml", 3_000), ("JSON", json, "fuzz.json", 10_000) })
        {
            reports.Add(await MutationFuzzer.RunAsync($"Spec loader, {name} (EnvironmentSpec.Parse + Validate)", seeds, input =>
            {
                var text = Encoding.UTF8.GetString(input);
                string first;
                try
                {
                    var spec = EnvironmentSpec.Parse(text, file);
                    first = string.Join("\n", spec.Validate().Select(p => p.ToString()));
                }
                catch (SpecLoadException e)
                {
                    first = e.Message;
                    if (e.Problems.Count == 0)
                    {
                        throw new WrongResultException("a refused spec names no problem");
                    }

                    return Task.FromResult(FuzzVerdict.Rejected);
                }

                return Task.FromResult(FuzzVerdict.Accepted);
            }, iterations, TimeSpan.FromSeconds(10), dictionary, maxLength: 32 * 1024));
        }

        Assert.All(reports, AssertClean);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AwsResponseReaders_MutatedJsonAndXmlResponses_AreReadOrRefusedWithTheirDocumentedExceptions()
    {
        Conformance.Require("aws-models/ecs");
        using var examples = JsonDocument.Parse(File.ReadAllText(Path.Combine(Conformance.Root, "aws-models", "ecs", "examples-1.json")));
        var jsonSeeds = examples.RootElement.GetProperty("examples").EnumerateObject()
            .Where(o => o.Name is "DescribeServices" or "DescribeTasks" or "DescribeTaskDefinition")
            .SelectMany(o => o.Value.EnumerateArray())
            .Where(e => e.TryGetProperty("output", out _))
            .Select(e => Encoding.UTF8.GetBytes(e.GetProperty("output").GetRawText()))
            .ToList();
        Assert.NotEmpty(jsonSeeds);
        var json = await MutationFuzzer.RunAsync("AWS JSON responses (ECS DescribeServices/Tasks/TaskDefinition)", jsonSeeds, input =>
        {
            try
            {
                _ = JsonSerializer.Deserialize<Workmates.OttKit.Aws.Ecs.Model.DescribeServicesResponse>(input, AwsJsonProtocol.Options);
                _ = JsonSerializer.Deserialize<Workmates.OttKit.Aws.Ecs.Model.DescribeTasksResponse>(input, AwsJsonProtocol.Options);
                _ = JsonSerializer.Deserialize<Workmates.OttKit.Aws.Ecs.Model.DescribeTaskDefinitionResponse>(input, AwsJsonProtocol.Options);
                return Task.FromResult(FuzzVerdict.Accepted);
            }
            catch (JsonException)
            {
                // The SDK pipeline turns it into AmazonUnmarshallingException.
                return Task.FromResult(FuzzVerdict.Rejected);
            }
        }, iterations: 15_000, TimeSpan.FromSeconds(5), MutationFuzzer.Tokens("{", "}", "[", "]", "null", "1e400", "\"\\uD800\"", "-1", "true", ","));

        var xmlSeeds = new List<byte[]>
        {
            Encoding.UTF8.GetBytes("""
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult><Stacks><member>
                    <StackId>arn:aws:cloudformation:ap-south-1:123456789012:stack/demo/1</StackId><StackName>demo</StackName>
                    <CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>
                    <DisableRollback>false</DisableRollback>
                    <Parameters><member><ParameterKey>ImageTag</ParameterKey><ParameterValue>v1</ParameterValue></member></Parameters>
                    <Outputs><member><OutputKey>Url</OutputKey><OutputValue>https://x</OutputValue></member></Outputs>
                    <Tags><member><Key>team</Key><Value>media</Value></member></Tags>
                  </member></Stacks><NextToken>n</NextToken></DescribeStacksResult>
                  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
                </DescribeStacksResponse>
                """),
        };
        var xml = await MutationFuzzer.RunAsync("AWS query/XML responses (CloudFormation DescribeStacks)", xmlSeeds, input =>
        {
            try
            {
                var root = AwsQueryProtocol.Load(new MemoryStream(input)).Root;
                _ = AwsQueryProtocol.ReadShape<DescribeStacksResponse>(AwsQueryProtocol.Child(root, "DescribeStacksResult"));
                return Task.FromResult(FuzzVerdict.Accepted);
            }
            catch (Exception e) when (e is XmlException or FormatException or OverflowException)
            {
                // The SDK pipeline turns them into AmazonUnmarshallingException.
                return Task.FromResult(FuzzVerdict.Rejected);
            }
        }, iterations: 15_000, TimeSpan.FromSeconds(5), MutationFuzzer.Tokens("<member>", "</member>", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "<![CDATA[", "]]>", "99999999999999999999", "-", "<Stacks>", "&#0;"));

        AssertClean(json);
        AssertClean(xml);
    }
}
