using System.Globalization;
using System.Text.Json;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>The connection-string and uri-options spec suites, one fact per suite folder listing every failing case.</summary>
public sealed class ConnectionStringConformanceTests
{
    [Fact]
    public void Connection_string_suite_passes_every_case() => RunSuite("mongodb/connection-string");

    [Fact]
    public void Uri_options_suite_passes_every_case() => RunSuite("mongodb/uri-options");

    private static void RunSuite(string folder)
    {
        Conformance.Require(folder);
        var failures = new List<string>();
        var total = 0;
        foreach (var file in Conformance.Files(folder, "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var test in document.RootElement.GetProperty("tests").EnumerateArray())
            {
                total++;
                var failure = RunCase(test);
                if (failure is not null)
                {
                    failures.Add($"{Path.GetFileName(file)} / {test.GetProperty("description").GetString()}: {failure}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{folder}: {total - failures.Count}/{total} cases pass");
        Assert.True(total > 0, "no cases found");
        Assert.True(failures.Count == 0, $"{failures.Count}/{total} failed:\n" + string.Join('\n', failures));
    }

    private static string? RunCase(JsonElement test)
    {
        var uri = test.GetProperty("uri").GetString()!;
        var valid = test.GetProperty("valid").GetBoolean();
        MongoConnectionString parsed;
        try
        {
            parsed = MongoConnectionString.Parse(uri);
        }
        catch (MongoConfigurationException ex)
        {
            return valid ? $"threw: {ex.Message}" : null;
        }
        catch (Exception ex)
        {
            return $"threw {ex.GetType().Name} instead of MongoConfigurationException: {ex.Message}";
        }

        if (!valid)
        {
            return "expected an error, parsed fine";
        }

        var expectWarning = test.TryGetProperty("warning", out var w) && w.ValueKind == JsonValueKind.True;
        if (expectWarning != parsed.Warnings.Count > 0)
        {
            return $"warning expected={expectWarning}, got [{string.Join("; ", parsed.Warnings)}]";
        }

        return CompareHosts(test, parsed) ?? CompareAuth(test, parsed) ?? CompareOptions(test, parsed);
    }

    private static string? CompareHosts(JsonElement test, MongoConnectionString parsed)
    {
        if (!test.TryGetProperty("hosts", out var hosts) || hosts.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var expected = hosts.EnumerateArray().ToList();
        if (expected.Count != parsed.Hosts.Count)
        {
            return $"expected {expected.Count} hosts, got {parsed.Hosts.Count}";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var host = expected[i];
            var actual = parsed.Hosts[i];
            if (host.GetProperty("host").GetString() != actual.Host)
            {
                return $"host {i}: expected {host.GetProperty("host").GetString()}, got {actual.Host}";
            }

            if (host.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Number && port.GetInt32() != actual.Port)
            {
                return $"port {i}: expected {port.GetInt32()}, got {actual.Port}";
            }

            var kind = host.GetProperty("type").GetString() switch
            {
                "ipv4" => MongoHostKind.IPv4,
                "ip_literal" => MongoHostKind.IPLiteral,
                "unix" => MongoHostKind.UnixSocket,
                _ => MongoHostKind.HostName,
            };
            if (kind != actual.Kind)
            {
                return $"host {i}: expected kind {kind}, got {actual.Kind}";
            }
        }

        return null;
    }

    private static string? CompareAuth(JsonElement test, MongoConnectionString parsed)
    {
        if (!test.TryGetProperty("auth", out var auth) || auth.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        foreach (var (name, actual) in new[] { ("username", parsed.Username), ("password", parsed.Password), ("db", parsed.Database) })
        {
            if (auth.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() != actual)
            {
                return $"{name}: expected '{value.GetString()}', got '{actual}'";
            }
        }

        return null;
    }

    private static string? CompareOptions(JsonElement test, MongoConnectionString parsed)
    {
        if (!test.TryGetProperty("options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        foreach (var option in options.EnumerateObject())
        {
            if (!parsed.Options.TryGetValue(option.Name, out var actual))
            {
                return $"option {option.Name} missing";
            }

            if (!JsonMatches(option.Value, actual))
            {
                return $"option {option.Name}: expected {option.Value.GetRawText()}, got {Describe(actual)}";
            }
        }

        return null;
    }

    internal static bool JsonMatches(JsonElement expected, object? actual) => expected.ValueKind switch
    {
        JsonValueKind.Null => actual is null,
        JsonValueKind.True => actual is true,
        JsonValueKind.False => actual is false,
        JsonValueKind.Number => actual is int i && expected.GetInt64() == i,
        JsonValueKind.String => actual is string s && s == expected.GetString(),
        JsonValueKind.Array => actual is System.Collections.IEnumerable items and not string
            && items.Cast<object?>().ToList() is var list
            && list.Count == expected.GetArrayLength()
            && expected.EnumerateArray().Select((e, index) => JsonMatches(e, list[index])).All(ok => ok),
        JsonValueKind.Object => actual is IReadOnlyDictionary<string, string> map
            && map.Count == expected.EnumerateObject().Count()
            && expected.EnumerateObject().All(p => map.TryGetValue(p.Name, out var v) && v == p.Value.GetString()),
        _ => false,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IReadOnlyDictionary<string, string> map => "{" + string.Join(",", map.Select(p => $"{p.Key}:{p.Value}")) + "}",
        System.Collections.IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Describe)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };
}
