using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>
/// Redaction that cannot leak: for every test URI (the spec suites and hostile hand-written ones), no text the
/// library or the CLI produces (redacted form, warnings, errors, log lines, command output) holds its password or
/// another secret value.
/// </summary>
public sealed class RedactionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Hostile URIs and the secrets in them.</summary>
    public static TheoryData<string, string[]> Hostile => new()
    {
        { "mongodb://admin:2024?Summer=x@db1:27017/?replicaSet=rs0", ["2024?Summer", "Summer=x", "2024"] },
        { "mongodb://admin:20x4?Summer@db1/", ["20x4", "Summer"] },
        { "mongodb://admin:pa/ss@db1/", ["pa/ss"] },
        { "mongodb://admin:pa#ss@db1/", ["pa#ss"] },
        { "mongodb://admin:p@ss@db1/", ["p@ss"] },
        { "mongodb://admin:pa:ss@db1/", ["pa:ss"] },
        { "mongodb://admin:pa%ZZss@db1/", ["pa%ZZss"] },
        { "mongodb://admin:S3cret-Pw@db1/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:FQoGZXIvYXdzEXAMPLETOKEN", ["S3cret-Pw", "FQoGZXIvYXdzEXAMPLETOKEN"] },
        { "mongodb://db1/?proxyHost=proxy&proxyUsername=p&proxyPassword=Pr0xy-Secret", ["Pr0xy-Secret"] },
        { "mongodb://db1/?tls=true&tlsCertificateKeyFile=a.pem&tlsCertificateKeyFilePassword=K3yfile-Secret", ["K3yfile-Secret"] },
        { "mongodb://db1/?sslPEMKeyPassword=Legacy-Secret", ["Legacy-Secret"] },
        { "mongodb://db1/?proxyPassword=Bad%ZZ-Secret", ["Bad%ZZ-Secret"] },
        { "mongodb://user:Sp%40ce%20Pw@db1/", ["Sp@ce Pw", "Sp%40ce%20Pw"] },
    };

    private static IEnumerable<string> LibraryTexts(string uri)
    {
        try
        {
            var parsed = MongoConnectionString.Parse(uri);
            return [parsed.Redacted, parsed.ToString(), .. parsed.Warnings];
        }
        catch (MongoConfigurationException error)
        {
            return [error.ToString()];
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Parse_HostileUri_NeverEchoesASecret(string uri, string[] secrets)
    {
        foreach (var text in LibraryTexts(uri))
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Parse_PasswordHoldingAnUnencodedQuestionMark_IsRefusedNotParsedAsAHost()
    {
        var error = Assert.Throws<MongoConfigurationException>(() => MongoConnectionString.Parse("mongodb://admin:2024?Summer=x@db1"));

        Assert.Contains("%3F", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_AuthMechanismProperties_KeepsTheNamesAndMasksTheValues()
    {
        var parsed = MongoConnectionString.Parse("mongodb://db1/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok1,SERVICE_NAME:svc");

        Assert.EndsWith("authMechanismProperties=AWS_SESSION_TOKEN:*****,SERVICE_NAME:*****", parsed.Redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EverySpecSuiteUri_NeverEchoesItsPasswordOrMechanismProperties()
    {
        var checkedSecrets = 0;
        foreach (var folder in new[] { "mongodb/connection-string", "mongodb/uri-options", "mongodb/auth" })
        {
            Conformance.Require(folder);
            foreach (var file in Conformance.Files(folder, "*.json").Where(f => !f.EndsWith("scram-test-vectors.json", StringComparison.Ordinal)))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                foreach (var test in document.RootElement.GetProperty("tests").EnumerateArray())
                {
                    var uri = test.GetProperty("uri").GetString()!;
                    // Only values written once in the URI after its scheme (defaults such as SERVICE_NAME "mongodb" are not secrets).
                    var afterScheme = uri.Contains("://", StringComparison.Ordinal) ? uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..] : uri;
                    foreach (var secret in Secrets(test).Where(s => Occurrences(afterScheme, s) == 1))
                    {
                        checkedSecrets++;
                        foreach (var text in LibraryTexts(uri))
                        {
                            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(file)}: '{secret}' of {uri} appears in: {text}");
                        }
                    }
                }
            }
        }

        Assert.True(checkedSecrets > 20, $"only {checkedSecrets} secrets checked");
    }

    /// <summary>The password (as written in the URI, and decoded) and every mechanism property value, 3+ characters.</summary>
    private static IEnumerable<string> Secrets(JsonElement test)
    {
        var found = new List<string>();
        foreach (var name in new[] { "auth", "credential" })
        {
            if (test.TryGetProperty(name, out var auth) && auth.ValueKind == JsonValueKind.Object
                && auth.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String)
            {
                found.Add(password.GetString()!);
                found.Add(Uri.EscapeDataString(password.GetString()!));
            }

            if (test.TryGetProperty(name, out var credential) && credential.ValueKind == JsonValueKind.Object
                && credential.TryGetProperty("mechanism_properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                found.AddRange(properties.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!));
            }
        }

        if (test.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object)
        {
            foreach (var option in options.EnumerateObject())
            {
                if (option.Name.Contains("password", StringComparison.OrdinalIgnoreCase) && option.Value.ValueKind == JsonValueKind.String)
                {
                    found.Add(option.Value.GetString()!);
                }
                else if (option.Name.Equals("authMechanismProperties", StringComparison.OrdinalIgnoreCase) && option.Value.ValueKind == JsonValueKind.Object)
                {
                    found.AddRange(option.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!));
                }
            }
        }

        return found.Where(s => s.Length >= 3).Distinct(StringComparer.Ordinal);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue($"{formatter(state, exception)} {state} {exception}");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ClientLogsAndCliOutput_ForUrisWithSecrets_NeverHoldThem()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("ops", "Ops-Passw0rd!");
        const string Fast = "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=2000&connectTimeoutMS=1000";
        string[] secrets = ["Ops-Passw0rd!", "Ops-Passw0rd%21", "Legacy-Secret", "FQoGZXIvYXdzEXAMPLETOKEN"];
        var uris = new[]
        {
            simulator.ConnectionString("ops", "Ops-Passw0rd!", Fast),
            simulator.ConnectionString("ops", "Ops-Passw0rd!", Fast + "&sslPEMKeyPassword=Legacy-Secret"),
            simulator.ConnectionString("ops", "Wrong-Legacy-Secret", Fast),
            simulator.ConnectionString("ops", "Ops-Passw0rd!", Fast + "&authMechanismProperties=AWS_SESSION_TOKEN:FQoGZXIvYXdzEXAMPLETOKEN"),
        };
        var logger = new CapturingLogger();
        var outputs = new List<string>();
        foreach (var uri in uris)
        {
            await using (var client = MongoDriverClient.Create(uri, logger))
            {
                try
                {
                    await client.PingAsync(MongoReadPreference.Primary, Token);
                }
                catch (Exception error) when (error is MongoAuthenticationException or MongoServerSelectionException or MongoConnectionException or MongoCommandException)
                {
                    outputs.Add(error.ToString());
                }
            }

            foreach (var args in new[] { new[] { "mongo", "health", "--uri", uri }, ["mongo", "health", "--uri", uri, "--output", "json"] })
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                _ = await OttKitCommandLine.InvokeAsync(args, output, error, Token);
                outputs.Add(output.ToString());
                outputs.Add(error.ToString());
            }
        }

        Assert.NotEmpty(logger.Lines);
        foreach (var line in logger.Lines.Concat(outputs))
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"'{secret}' appears in: {line}");
            }
        }
    }
}
