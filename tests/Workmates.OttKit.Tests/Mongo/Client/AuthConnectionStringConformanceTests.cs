using System.Text.Json;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>auth/connection-string.json: building the credential (mechanism, source, properties) from a URI.</summary>
public sealed class AuthConnectionStringConformanceTests
{
    [Fact]
    public void Auth_connection_string_suite_passes_every_case()
    {
        var file = Conformance.Require("mongodb/auth/connection-string.json");
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var failures = new List<string>();
        var total = 0;
        foreach (var test in document.RootElement.GetProperty("tests").EnumerateArray())
        {
            total++;
            var failure = RunCase(test);
            if (failure is not null)
            {
                failures.Add($"{test.GetProperty("description").GetString()}: {failure}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"auth/connection-string.json: {total - failures.Count}/{total} cases pass");
        Assert.True(failures.Count == 0, $"{failures.Count}/{total} failed:\n" + string.Join('\n', failures));
    }

    private static string? RunCase(JsonElement test)
    {
        var valid = test.GetProperty("valid").GetBoolean();
        MongoConnectionString parsed;
        try
        {
            parsed = MongoConnectionString.Parse(test.GetProperty("uri").GetString()!);
        }
        catch (MongoConfigurationException ex)
        {
            return valid ? $"threw: {ex.Message}" : null;
        }

        if (!valid)
        {
            return "expected an error, parsed fine";
        }

        if (!test.TryGetProperty("credential", out var expected))
        {
            return null;
        }

        var credential = parsed.Credential;
        if (expected.ValueKind == JsonValueKind.Null)
        {
            return credential is null ? null : $"expected no credential, got {credential}";
        }

        if (credential is null)
        {
            return "expected a credential, got none";
        }

        foreach (var (name, actual) in new[]
        {
            ("username", credential.Username), ("password", credential.Password),
            ("source", credential.Source), ("mechanism", credential.Mechanism),
        })
        {
            if (expected.TryGetProperty(name, out var value) && value.GetString() != actual)
            {
                return $"{name}: expected '{value.GetString()}', got '{actual}'";
            }
        }

        if (expected.TryGetProperty("mechanism_properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                var want = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                if (!credential.MechanismProperties.TryGetValue(property.Name, out var got) || !string.Equals(got, want, StringComparison.OrdinalIgnoreCase))
                {
                    return $"property {property.Name}: expected '{want}', got '{got}'";
                }
            }
        }

        return null;
    }
}
