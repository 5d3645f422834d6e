using System.Collections.Immutable;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Mongo.Wire.Discovery;
using Workmates.OttKit.Mongo.Wire.Selection;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class ServerSelectorTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SelectionSettings s_settings = SelectionSettings.Default;

    private static ServerDescription Server(string address, ServerType type, int rttMs = 5, int lagSeconds = 0, Dictionary<string, string>? tags = null) => new()
    {
        Address = address,
        Type = type,
        SetName = type is ServerType.RSPrimary or ServerType.RSSecondary ? "rs" : null,
        RoundTripTime = TimeSpan.FromMilliseconds(rttMs),
        LastUpdateTime = s_now,
        LastWriteDate = s_now - TimeSpan.FromSeconds(lagSeconds),
        MinWireVersion = 0,
        MaxWireVersion = 21,
        Tags = tags ?? [],
    };

    private static TopologyDescription ReplicaSet(params ServerDescription[] servers) => new()
    {
        Type = servers.Any(s => s.Type == ServerType.RSPrimary) ? TopologyType.ReplicaSetWithPrimary : TopologyType.ReplicaSetNoPrimary,
        SetName = "rs",
        Servers = servers.ToImmutableSortedDictionary(s => s.Address, s => s, StringComparer.Ordinal),
    };

    private static MongoReadPreference Pref(ReadPreferenceMode mode, TimeSpan? maxStaleness = null, params Dictionary<string, string>[] tagSets) =>
        new(mode, tagSets, maxStaleness);

    private static string[] Addresses(IReadOnlyList<ServerDescription> servers) => servers.Select(s => s.Address).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Primary_mode_selects_only_the_primary()
    {
        var topology = ReplicaSet(Server("a:27017", ServerType.RSPrimary), Server("b:27017", ServerType.RSSecondary, rttMs: 1));

        Assert.Equal(["a:27017"], Addresses(ServerSelector.SelectForRead(topology, MongoReadPreference.Primary, s_settings)));
    }

    [Fact]
    public void Secondary_mode_excludes_the_primary_and_servers_outside_the_latency_window()
    {
        var topology = ReplicaSet(
            Server("a:27017", ServerType.RSPrimary, rttMs: 1),
            Server("b:27017", ServerType.RSSecondary, rttMs: 10),
            Server("c:27017", ServerType.RSSecondary, rttMs: 24),
            Server("d:27017", ServerType.RSSecondary, rttMs: 26));

        var selected = ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.Secondary), s_settings);

        Assert.Equal(["b:27017", "c:27017"], Addresses(selected));
    }

    [Fact]
    public void Secondary_preferred_falls_back_to_the_primary_when_no_secondary_is_available()
    {
        var topology = ReplicaSet(Server("a:27017", ServerType.RSPrimary), Server("b:27017", ServerType.Unknown));

        Assert.Equal(["a:27017"], Addresses(ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.SecondaryPreferred), s_settings)));
    }

    [Fact]
    public void Primary_preferred_falls_back_to_secondaries_without_a_primary()
    {
        var topology = ReplicaSet(Server("a:27017", ServerType.Unknown), Server("b:27017", ServerType.RSSecondary));

        Assert.Equal(["b:27017"], Addresses(ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.PrimaryPreferred), s_settings)));
    }

    [Fact]
    public void Nearest_considers_the_primary_and_secondaries_by_latency()
    {
        var topology = ReplicaSet(
            Server("a:27017", ServerType.RSPrimary, rttMs: 50),
            Server("b:27017", ServerType.RSSecondary, rttMs: 5),
            Server("c:27017", ServerType.RSArbiter, rttMs: 1));

        Assert.Equal(["b:27017"], Addresses(ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.Nearest), s_settings)));
    }

    [Fact]
    public void The_first_tag_set_that_matches_any_server_wins()
    {
        var topology = ReplicaSet(
            Server("a:27017", ServerType.RSPrimary),
            Server("b:27017", ServerType.RSSecondary, tags: new() { ["dc"] = "ny", ["rack"] = "1" }),
            Server("c:27017", ServerType.RSSecondary, tags: new() { ["dc"] = "sf" }));

        var preference = Pref(ReadPreferenceMode.Secondary, null, new() { ["dc"] = "tokyo" }, new() { ["dc"] = "sf" }, []);

        Assert.Equal(["c:27017"], Addresses(ServerSelector.SelectForRead(topology, preference, s_settings)));
    }

    [Fact]
    public void No_matching_tag_set_selects_nothing()
    {
        var topology = ReplicaSet(Server("b:27017", ServerType.RSSecondary, tags: new() { ["dc"] = "ny" }));

        Assert.Empty(ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.Secondary, null, new Dictionary<string, string> { ["dc"] = "sf" }), s_settings));
    }

    [Theory]
    [InlineData(89, 10, true)]
    [InlineData(90, 10, false)]
    [InlineData(100, 100, true)]
    [InlineData(110, 100, false)]
    public void Max_staleness_must_be_at_least_90_seconds_and_heartbeat_plus_idle_write_period(int maxStalenessSeconds, int heartbeatSeconds, bool rejected)
    {
        var settings = new SelectionSettings(TimeSpan.FromMilliseconds(15), TimeSpan.FromSeconds(heartbeatSeconds));
        var preference = Pref(ReadPreferenceMode.Secondary, TimeSpan.FromSeconds(maxStalenessSeconds));

        var error = Record.Exception(() => ServerSelector.ValidateMaxStaleness(preference, settings));

        Assert.Equal(rejected, error is MongoServerSelectionException);
    }

    [Fact]
    public void Secondaries_lagging_the_primary_beyond_max_staleness_are_skipped()
    {
        var topology = ReplicaSet(
            Server("a:27017", ServerType.RSPrimary),
            Server("b:27017", ServerType.RSSecondary, lagSeconds: 100),
            Server("c:27017", ServerType.RSSecondary, lagSeconds: 111));

        var selected = ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.Secondary, TimeSpan.FromSeconds(120)), s_settings);

        Assert.Equal(["b:27017"], Addresses(selected));
    }

    [Fact]
    public void Without_a_primary_staleness_is_measured_against_the_freshest_secondary()
    {
        var topology = ReplicaSet(
            Server("b:27017", ServerType.RSSecondary, lagSeconds: 500),
            Server("c:27017", ServerType.RSSecondary, lagSeconds: 600),
            Server("d:27017", ServerType.RSSecondary, lagSeconds: 700));

        var selected = ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.Secondary, TimeSpan.FromSeconds(150)), s_settings);

        Assert.Equal(["b:27017", "c:27017"], Addresses(selected));
    }

    [Fact]
    public void Writes_go_to_the_primary_and_find_nothing_without_one()
    {
        var withPrimary = ReplicaSet(Server("a:27017", ServerType.RSPrimary), Server("b:27017", ServerType.RSSecondary));
        var withoutPrimary = ReplicaSet(Server("b:27017", ServerType.RSSecondary));

        Assert.Equal(["a:27017"], Addresses(ServerSelector.SelectForWrite(withPrimary, s_settings)));
        Assert.Empty(ServerSelector.SelectForWrite(withoutPrimary, s_settings));
    }

    [Fact]
    public void Sharded_clusters_select_mongoses_within_the_latency_window()
    {
        var topology = new TopologyDescription
        {
            Type = TopologyType.Sharded,
            Servers = new[] { Server("m1:27017", ServerType.Mongos, rttMs: 2), Server("m2:27017", ServerType.Mongos, rttMs: 40) }
                .ToImmutableSortedDictionary(s => s.Address, s => s, StringComparer.Ordinal),
        };

        Assert.Equal(["m1:27017"], Addresses(ServerSelector.SelectForRead(topology, Pref(ReadPreferenceMode.Secondary), s_settings)));
    }

    [Fact]
    public void An_incompatible_server_makes_selection_fail()
    {
        var topology = ReplicaSet(Server("a:27017", ServerType.RSPrimary) with { MaxWireVersion = 6 });

        Assert.Throws<MongoServerSelectionException>(() => ServerSelector.SelectForWrite(topology, s_settings));
    }

    [Fact]
    public void A_direct_connection_uses_its_server_whatever_the_read_preference()
    {
        var topology = new TopologyDescription
        {
            Type = TopologyType.Single,
            Servers = new[] { Server("a:27017", ServerType.RSSecondary) }.ToImmutableSortedDictionary(s => s.Address, s => s, StringComparer.Ordinal),
        };

        Assert.Equal(["a:27017"], Addresses(ServerSelector.SelectForRead(topology, MongoReadPreference.Primary, s_settings)));
    }

    [Fact]
    public void Discovery_feeds_selection_end_to_end()
    {
        var topology = new Topology(MongoConnectionString.Parse("mongodb://a,b/?replicaSet=rs"));
        topology.ApplyHello("a:27017", new HelloResult { Ok = true, IsWritablePrimary = true, SetName = "rs", Hosts = ["a:27017", "b:27017"], MaxWireVersion = 21 }, TimeSpan.FromMilliseconds(3));
        topology.ApplyHello("b:27017", new HelloResult { Ok = true, Secondary = true, SetName = "rs", Hosts = ["a:27017", "b:27017"], MaxWireVersion = 21 }, TimeSpan.FromMilliseconds(4));

        var selected = ServerSelector.SelectForRead(topology.Description, Pref(ReadPreferenceMode.SecondaryPreferred), s_settings);

        Assert.Equal(["b:27017"], Addresses(selected));
    }
}
