using System.Text.Json;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Bson;

/// <summary>
/// The official BSON corpus (mongodb/specifications bson-corpus), data-driven over every file. Each fact aggregates all
/// failures of one kind into its message and reports the number of cases checked.
/// </summary>
public sealed class BsonCorpusTests
{
    private const string Folder = "mongodb/bson-corpus";
    private static readonly BsonReadOptions NamedOptions = new() { NameTable = new BsonNameTable() };

    [Fact]
    public void ValidCases_RoundTripBsonAndExtendedJsonExactly()
    {
        var (checkedCases, assertions, failures) = (0, 0, new List<string>());
        foreach (var (file, root) in LoadFiles())
        {
            if (!root.TryGetProperty("valid", out var cases))
            {
                continue;
            }

            foreach (var testCase in cases.EnumerateArray())
            {
                checkedCases++;
                var name = $"{file}: {testCase.GetProperty("description").GetString()}";
                assertions += CheckValid(testCase, name, failures);
            }
        }

        Report($"bson-corpus valid: {checkedCases} cases, {assertions} assertions, {failures.Count} failures");
        Assert.True(checkedCases > 0, "no valid cases found");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void DecodeErrorCases_AreRejectedWithBsonFormatException()
    {
        var (checkedCases, failures) = (0, new List<string>());
        foreach (var (file, root) in LoadFiles())
        {
            if (!root.TryGetProperty("decodeErrors", out var cases))
            {
                continue;
            }

            foreach (var testCase in cases.EnumerateArray())
            {
                checkedCases++;
                var name = $"{file}: {testCase.GetProperty("description").GetString()}";
                var bytes = Convert.FromHexString(testCase.GetProperty("bson").GetString()!);
                ExpectFormatError(name + " [model]", failures, () => BsonDocument.FromBson(bytes));
                ExpectFormatError(name + " [raw]", failures, () => RawBsonDocument.Create(bytes));
            }
        }

        Report($"bson-corpus decodeErrors: {checkedCases} cases (model decoder and raw validator), {failures.Count} failures");
        Assert.True(checkedCases > 0, "no decodeErrors cases found");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void ParseErrorCases_AreRejected()
    {
        var (checkedCases, failures) = (0, new List<string>());
        foreach (var (file, root) in LoadFiles())
        {
            if (!root.TryGetProperty("parseErrors", out var cases))
            {
                continue;
            }

            var isDecimal = root.GetProperty("bson_type").GetString() == "0x13";
            foreach (var testCase in cases.EnumerateArray())
            {
                checkedCases++;
                var name = $"{file}: {testCase.GetProperty("description").GetString()}";
                var text = testCase.GetProperty("string").GetString()!;
                if (isDecimal)
                {
                    if (Decimal128.TryParse(text, out var parsed))
                    {
                        failures.Add($"{name}: '{text}' parsed as {parsed}");
                    }

                    ExpectFormatError(name + " [$numberDecimal]", failures,
                        () => BsonDocument.ParseExtendedJson("{\"d\": {\"$numberDecimal\": " + JsonSerializer.Serialize(text) + "}}"));
                }
                else
                {
                    ExpectFormatError(name, failures, () => BsonDocument.ParseExtendedJson(text));
                }
            }
        }

        Report($"bson-corpus parseErrors: {checkedCases} cases, {failures.Count} failures");
        Assert.True(checkedCases > 0, "no parseErrors cases found");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    internal static IEnumerable<(string File, JsonElement Root)> LoadFiles()
    {
        Conformance.Require(Folder);
        foreach (var path in Conformance.Files(Folder, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            yield return (Path.GetFileName(path), document.RootElement.Clone());
        }
    }

    private static int CheckValid(JsonElement testCase, string name, List<string> failures)
    {
        var assertions = 0;
        var cb = Convert.FromHexString(testCase.GetProperty("canonical_bson").GetString()!);
        var cej = testCase.GetProperty("canonical_extjson").GetString()!;
        var rej = Optional(testCase, "relaxed_extjson");
        var db = Optional(testCase, "degenerate_bson");
        var dej = Optional(testCase, "degenerate_extjson");
        var lossy = testCase.TryGetProperty("lossy", out var l) && l.GetBoolean();

        void Check(string what, Func<string?> check)
        {
            assertions++;
            try
            {
                var problem = check();
                if (problem is not null)
                {
                    failures.Add($"{name}: {what}: {problem}");
                }
            }
            catch (Exception ex) when (ex is BsonFormatException or ArgumentException or InvalidOperationException or InvalidCastException or FormatException or JsonException)
            {
                failures.Add($"{name}: {what}: threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        Check("encode(decode(cB)) == cB", () => BytesProblem(cb, BsonDocument.FromBson(cb).ToBson()));
        Check("raw validate(cB) and walk", () => RawWalkProblem(cb));
        Check("decode(cB) with a name table == decode(cB)", () =>
            BsonDocument.FromBson(cb, NamedOptions).Equals(BsonDocument.FromBson(cb)) ? null : "documents differ");
        Check("canonical(decode(cB)) == cEJ", () => JsonProblem(cej, BsonDocument.FromBson(cb).ToExtendedJson(ExtendedJsonMode.Canonical)));
        if (rej is not null)
        {
            Check("relaxed(decode(cB)) == rEJ", () => JsonProblem(rej, BsonDocument.FromBson(cb).ToExtendedJson(ExtendedJsonMode.Relaxed)));
            Check("relaxed(parse(rEJ)) == rEJ", () => JsonProblem(rej, BsonDocument.ParseExtendedJson(rej).ToExtendedJson(ExtendedJsonMode.Relaxed)));
        }

        Check("canonical(parse(cEJ)) == cEJ", () => JsonProblem(cej, BsonDocument.ParseExtendedJson(cej).ToExtendedJson(ExtendedJsonMode.Canonical)));
        if (!lossy)
        {
            Check("encode(parse(cEJ)) == cB", () => BytesProblem(cb, BsonDocument.ParseExtendedJson(cej).ToBson()));
        }

        if (db is not null)
        {
            var dbBytes = Convert.FromHexString(db);
            Check("encode(decode(dB)) == cB", () => BytesProblem(cb, BsonDocument.FromBson(dbBytes).ToBson()));
            Check("canonical(decode(dB)) == cEJ", () => JsonProblem(cej, BsonDocument.FromBson(dbBytes).ToExtendedJson(ExtendedJsonMode.Canonical)));
        }

        if (dej is not null)
        {
            Check("canonical(parse(dEJ)) == cEJ", () => JsonProblem(cej, BsonDocument.ParseExtendedJson(dej).ToExtendedJson(ExtendedJsonMode.Canonical)));
            if (!lossy)
            {
                Check("encode(parse(dEJ)) == cB", () => BytesProblem(cb, BsonDocument.ParseExtendedJson(dej).ToBson()));
            }
        }

        var convertedBson = Optional(testCase, "converted_bson");
        var convertedJson = Optional(testCase, "converted_extjson");
        if (convertedBson is not null && convertedJson is not null)
        {
            var converted = Convert.FromHexString(convertedBson);
            Check("encode(parse(converted EJ)) == converted B", () => BytesProblem(converted, BsonDocument.ParseExtendedJson(convertedJson).ToBson()));
            Check("canonical(decode(converted B)) == converted EJ", () => JsonProblem(convertedJson, BsonDocument.FromBson(converted).ToExtendedJson(ExtendedJsonMode.Canonical)));
        }

        return assertions;
    }

    private static string? RawWalkProblem(byte[] bson)
    {
        var raw = RawBsonDocument.Create(bson);
        var model = BsonDocument.FromBson(bson);
        var i = 0;
        foreach (var element in raw)
        {
            if (i >= model.Count || element.Name != model[i].Name || !element.Value.ToBsonValue().Equals(model[i].Value))
            {
                return $"raw element {i} ('{element.Name}') differs from the decoded model";
            }

            if (!raw.TryGetValue(element.Name, out var found) || found.Type != model[model.IndexOf(element.Name)].Value.Type)
            {
                return $"lookup of '{element.Name}' failed";
            }

            i++;
        }

        return i == model.Count ? null : $"raw walk saw {i} elements, model has {model.Count}";
    }

    private static string? Optional(JsonElement testCase, string key) =>
        testCase.TryGetProperty(key, out var value) ? value.GetString() : null;

    private static string? BytesProblem(byte[] expected, byte[] actual) =>
        expected.AsSpan().SequenceEqual(actual) ? null : $"expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(actual)}";

    private static string? JsonProblem(string expected, string actual) =>
        JsonAssert.SemanticallyEqual(expected, actual) ? null : $"expected {expected}, got {actual}";

    private static void ExpectFormatError(string name, List<string> failures, Action action)
    {
        try
        {
            action();
            failures.Add($"{name}: was accepted");
        }
        catch (BsonFormatException)
        {
            // Expected.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failures.Add($"{name}: threw {ex.GetType().Name} instead of BsonFormatException: {ex.Message}");
        }
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
