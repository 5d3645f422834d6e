using System.Text.Json;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Mongo.Wire.Discovery;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Wire;

/// <summary>sdam-monitoring: the ordered SDAM events published per phase (construction events count with phase 1).</summary>
public sealed class SdamMonitoringConformanceTests
{
    [Fact]
    public void Monitoring_suite_publishes_the_expected_events()
    {
        Conformance.Require("mongodb/sdam-monitoring");
        var failures = new List<string>();
        var phases = 0;
        foreach (var file in Conformance.Files("mongodb/sdam-monitoring", "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var topology = new Topology(MongoConnectionString.Parse(document.RootElement.GetProperty("uri").GetString()!));
            var index = 0;
            foreach (var phase in document.RootElement.GetProperty("phases").EnumerateArray())
            {
                phases++;
                index++;
                SdamConformanceTests.RunPhase(topology, phase);
                var failure = CompareEvents(phase.GetProperty("outcome").GetProperty("events"), topology.DrainEvents());
                if (failure is not null)
                {
                    failures.Add($"{Path.GetFileName(file)} phase {index}: {failure}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"mongodb/sdam-monitoring: {phases - failures.Count}/{phases} phases pass");
        Assert.True(phases > 0);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static string? CompareEvents(JsonElement expected, IReadOnlyList<SdamEvent> actual)
    {
        var expectedEvents = expected.EnumerateArray().ToList();
        if (expectedEvents.Count != actual.Count)
        {
            return $"expected {expectedEvents.Count} events, got {actual.Count}: {string.Join(", ", actual.Select(a => a.GetType().Name))}";
        }

        for (var i = 0; i < actual.Count; i++)
        {
            var property = expectedEvents[i].EnumerateObject().Single();
            var body = property.Value;
            var problem = (property.Name, actual[i]) switch
            {
                ("topology_opening_event", SdamEvent.TopologyOpening) => null,
                ("server_opening_event", SdamEvent.ServerOpening e) => Same(body.GetProperty("address").GetString(), e.Address),
                ("server_closed_event", SdamEvent.ServerClosed e) => Same(body.GetProperty("address").GetString(), e.Address),
                ("server_description_changed_event", SdamEvent.ServerDescriptionChanged e) =>
                    Same(body.GetProperty("address").GetString(), e.Address)
                    ?? CompareServer(body.GetProperty("previousDescription"), e.Previous)
                    ?? CompareServer(body.GetProperty("newDescription"), e.New),
                ("topology_description_changed_event", SdamEvent.TopologyDescriptionChanged e) =>
                    CompareTopology(body.GetProperty("previousDescription"), e.Previous)
                    ?? CompareTopology(body.GetProperty("newDescription"), e.New),
                _ => $"expected {property.Name}, got {actual[i].GetType().Name}",
            };
            if (problem is not null)
            {
                return $"event {i}: {problem}";
            }
        }

        return null;
    }

    private static string? CompareTopology(JsonElement expected, TopologyDescription actual)
    {
        if (expected.GetProperty("topologyType").GetString() != actual.Type.ToString())
        {
            return $"topology type {expected.GetProperty("topologyType").GetString()} != {actual.Type}";
        }

        var servers = expected.GetProperty("servers").EnumerateArray().ToList();
        if (servers.Count != actual.Servers.Count)
        {
            return $"{servers.Count} servers expected, got {actual.Servers.Count}";
        }

        return servers.Select(s => actual.Servers.TryGetValue(s.GetProperty("address").GetString()!, out var server)
                ? CompareServer(s, server)
                : $"server {s.GetProperty("address").GetString()} missing")
            .FirstOrDefault(p => p is not null);
    }

    private static string? CompareServer(JsonElement expected, ServerDescription actual)
    {
        static List<string> Sorted(JsonElement list) => list.EnumerateArray().Select(h => h.GetString()!).Order(StringComparer.Ordinal).ToList();

        return Same(expected.GetProperty("address").GetString(), actual.Address)
            ?? Same(expected.GetProperty("type").GetString(), actual.Type.ToString())
            ?? (Sorted(expected.GetProperty("hosts")).SequenceEqual(actual.Hosts.Order(StringComparer.Ordinal)) ? null : $"{actual.Address} hosts differ")
            ?? (Sorted(expected.GetProperty("passives")).SequenceEqual(actual.Passives.Order(StringComparer.Ordinal)) ? null : $"{actual.Address} passives differ")
            ?? (Sorted(expected.GetProperty("arbiters")).SequenceEqual(actual.Arbiters.Order(StringComparer.Ordinal)) ? null : $"{actual.Address} arbiters differ")
            ?? (expected.TryGetProperty("setName", out var setName) ? Same(setName.GetString(), actual.SetName) : null);
    }

    private static string? Same(string? expected, string? actual) => expected == actual ? null : $"expected {expected}, got {actual}";
}
