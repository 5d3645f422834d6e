using System.Text.Json;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Mongo.Wire.Discovery;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Wire;

/// <summary>The SDAM rs, single and errors suites: replies and application errors in, topology out, per phase.</summary>
public sealed class SdamConformanceTests
{
    [Fact]
    public void Replica_set_discovery_suite_passes_every_phase() => RunSuite("mongodb/sdam-rs");

    [Fact]
    public void Single_server_discovery_suite_passes_every_phase() => RunSuite("mongodb/sdam-single");

    [Fact]
    public void Error_handling_suite_passes_every_phase() => RunSuite("mongodb/sdam-errors");

    private static void RunSuite(string folder)
    {
        Conformance.Require(folder);
        var failures = new List<string>();
        int files = 0, phases = 0;
        foreach (var file in Conformance.Files(folder, "*.json"))
        {
            files++;
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            var topology = new Topology(MongoConnectionString.Parse(root.GetProperty("uri").GetString()!));
            var index = 0;
            foreach (var phase in root.GetProperty("phases").EnumerateArray())
            {
                phases++;
                index++;
                string? failure;
                try
                {
                    RunPhase(topology, phase);
                    failure = CompareOutcome(topology, phase.GetProperty("outcome"));
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    failure = $"threw {ex.GetType().Name}: {ex.Message}";
                }

                if (failure is not null)
                {
                    failures.Add($"{Path.GetFileName(file)} phase {index}: {failure}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{folder}: {phases - failures.Count}/{phases} phases pass in {files} files");
        Assert.True(phases > 0, "no phases found");
        Assert.True(failures.Count == 0, $"{failures.Count}/{phases} phases failed:\n" + string.Join('\n', failures));
    }

    internal static void RunPhase(Topology topology, JsonElement phase)
    {
        if (phase.TryGetProperty("responses", out var responses))
        {
            foreach (var response in responses.EnumerateArray())
            {
                var address = response[0].GetString()!;
                topology.ApplyHello(address, ExtendedJsonHello.ToHello(response[1]));
            }
        }

        if (phase.TryGetProperty("applicationErrors", out var errors))
        {
            foreach (var error in errors.EnumerateArray())
            {
                var kind = error.GetProperty("type").GetString() switch
                {
                    "network" => ApplicationErrorKind.Network,
                    "timeout" => ApplicationErrorKind.Timeout,
                    _ => ApplicationErrorKind.Command,
                };
                var when = error.GetProperty("when").GetString() == "beforeHandshakeCompletes"
                    ? ErrorPhase.BeforeHandshakeCompletes
                    : ErrorPhase.AfterHandshakeCompletes;
                topology.ApplyApplicationError(new ApplicationError(
                    error.GetProperty("address").GetString()!,
                    when,
                    kind,
                    error.GetProperty("maxWireVersion").GetInt32(),
                    error.TryGetProperty("generation", out var generation) ? generation.GetInt32() : null,
                    error.TryGetProperty("response", out var reply) ? ExtendedJsonHello.ToErrorReply(reply) : null));
            }
        }
    }

    private static string? CompareOutcome(Topology topology, JsonElement outcome)
    {
        var description = topology.Description;
        foreach (var property in outcome.EnumerateObject())
        {
            var expected = property.Value;
            var problem = property.Name switch
            {
                "topologyType" => Check(expected.GetString(), description.Type.ToString()),
                "setName" => Check(expected.ValueKind == JsonValueKind.Null ? null : expected.GetString(), description.SetName),
                "logicalSessionTimeoutMinutes" => Check(expected.ValueKind == JsonValueKind.Null ? null : expected.GetInt32(), description.LogicalSessionTimeoutMinutes),
                "maxSetVersion" => Check(expected.ValueKind == JsonValueKind.Null ? null : (int?)ExtendedJsonHello.Int64(expected), description.MaxSetVersion),
                "maxElectionId" => Check(ExtendedJsonHello.ObjectId(expected), description.MaxElectionId),
                "compatible" => Check(expected.GetBoolean(), description.IsCompatible),
                "servers" => CompareServers(topology, expected),
                _ => null,
            };
            if (problem is not null)
            {
                return $"{property.Name}: {problem}";
            }
        }

        return null;
    }

    private static string? CompareServers(Topology topology, JsonElement expected)
    {
        var servers = topology.Description.Servers;
        var expectedNames = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (!expectedNames.SequenceEqual(servers.Keys))
        {
            return $"expected [{string.Join(",", expectedNames)}], got [{string.Join(",", servers.Keys)}]";
        }

        foreach (var server in expected.EnumerateObject())
        {
            var actual = servers[server.Name];
            foreach (var field in server.Value.EnumerateObject())
            {
                var value = field.Value;
                var problem = field.Name switch
                {
                    "type" => Check(value.GetString(), actual.Type.ToString()),
                    "setName" => Check(value.ValueKind == JsonValueKind.Null ? null : value.GetString(), actual.SetName),
                    "setVersion" => Check(value.ValueKind == JsonValueKind.Null ? null : (int?)ExtendedJsonHello.Int64(value), actual.SetVersion),
                    "electionId" => Check(ExtendedJsonHello.ObjectId(value), actual.ElectionId),
                    "topologyVersion" => Check(ExtendedJsonHello.TopologyVersionOf(value), actual.TopologyVersion),
                    "pool" => Check(value.GetProperty("generation").GetInt32(), topology.PoolGeneration(server.Name)),
                    "error" => actual.Error is not null && (value.ValueKind == JsonValueKind.Null || actual.Error.Contains(value.GetString()!, StringComparison.Ordinal))
                        ? null
                        : $"expected error containing '{value}', got '{actual.Error}'",
                    "minWireVersion" => Check(value.GetInt32(), actual.MinWireVersion),
                    "maxWireVersion" => Check(value.GetInt32(), actual.MaxWireVersion),
                    _ => null,
                };
                if (problem is not null)
                {
                    return $"{server.Name}.{field.Name}: {problem}";
                }
            }
        }

        return null;
    }

    private static string? Check<T>(T expected, T actual) =>
        EqualityComparer<T>.Default.Equals(expected, actual) ? null : $"expected {expected?.ToString() ?? "null"}, got {actual?.ToString() ?? "null"}";
}
