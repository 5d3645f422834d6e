using System.Text;
using System.Text.Json;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Wire;

/// <summary>auth/scram-test-vectors.json: every SCRAM intermediate value and the SASLprep examples.</summary>
public sealed class ScramConformanceTests
{
    private static JsonDocument Load() =>
        JsonDocument.Parse(File.ReadAllText(Conformance.Require("mongodb/auth/scram-test-vectors.json")));

    [Fact]
    public void Scram_vectors_all_match()
    {
        using var document = Load();
        var failures = new List<string>();
        var total = 0;
        foreach (var vector in document.RootElement.GetProperty("scram").EnumerateArray())
        {
            total++;
            var failure = RunScram(vector);
            if (failure is not null)
            {
                failures.Add($"{vector.GetProperty("description").GetString()}: {failure}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"scram vectors: {total - failures.Count}/{total} pass");
        Assert.True(total > 0);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Saslprep_vectors_all_match()
    {
        using var document = Load();
        var failures = new List<string>();
        var total = 0;
        foreach (var vector in document.RootElement.GetProperty("saslprep").EnumerateArray())
        {
            total++;
            var input = vector.GetProperty("input").GetString()!;
            var valid = vector.GetProperty("valid").GetBoolean();
            string? output = null;
            try
            {
                output = SaslPrep.Prepare(input);
            }
            catch (ArgumentException)
            {
            }

            var expected = valid ? vector.GetProperty("output").GetString() : null;
            if (output != expected)
            {
                failures.Add($"{vector.GetProperty("description").GetString()}: expected {expected ?? "rejection"}, got {output ?? "rejection"}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"saslprep vectors: {total - failures.Count}/{total} pass");
        Assert.True(total > 0);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static string? RunScram(JsonElement v)
    {
        string S(string name) => v.GetProperty(name).GetString()!;
        var mechanism = S("mechanism");
        var derivationPassword = S("passwordUsedForKeyDerivation");
        if (mechanism == "SCRAM-SHA-256" || derivationPassword != S("password"))
        {
            var prepared = ScramConversation.PreparePassword(mechanism, S("username"), S("password"));
            if (prepared != derivationPassword)
            {
                return $"prepared password {prepared} != {derivationPassword}";
            }
        }

        var conversation = new ScramConversation(mechanism, S("username"), derivationPassword, S("clientNonce"), cache: null);
        if (conversation.ClientFirstMessage != S("clientFirstMessage"))
        {
            return $"client-first {conversation.ClientFirstMessage}";
        }

        if (Convert.ToBase64String(Encoding.UTF8.GetBytes(conversation.ClientFirstMessage)) != S("saslStartPayloadBase64"))
        {
            return "saslStart payload differs";
        }

        var serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String(S("saslStartResponsePayloadBase64")));
        var clientFinal = conversation.ProcessServerFirst(serverFirst);
        if (clientFinal != S("clientFinalMessage"))
        {
            return $"client-final {clientFinal}";
        }

        if (Convert.ToBase64String(Encoding.UTF8.GetBytes(clientFinal)) != S("saslContinuePayloadBase64"))
        {
            return "saslContinue payload differs";
        }

        var keys = ScramKeys.Derive(mechanism, derivationPassword, Convert.FromBase64String(S("saltBase64")), v.GetProperty("iterationCount").GetInt32(), cache: null);
        foreach (var (name, actual) in new[]
        {
            ("saltedPasswordHex", keys.SaltedPassword), ("clientKeyHex", keys.ClientKey), ("storedKeyHex", keys.StoredKey),
            ("serverKeyHex", keys.ServerKey), ("clientSignatureHex", keys.ClientSignature(S("authMessage"))),
        })
        {
            if (!Convert.ToHexStringLower(actual).Equals(S(name), StringComparison.OrdinalIgnoreCase))
            {
                return $"{name} differs";
            }
        }

        conversation.VerifyServerFinal(Encoding.UTF8.GetString(Convert.FromBase64String(S("saslContinueResponsePayloadBase64"))));
        return conversation.IsComplete ? null : "conversation not complete";
    }
}
