namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>
/// The SDAM transition function: (topology, new server description) → topology. Pure; implements the spec's
/// updateUnknownWithStandalone, updateRSFromPrimary, updateRSWithoutPrimary and updateRSWithPrimaryFromMember.
/// </summary>
internal static class TopologyUpdate
{
    /// <param name="topology">The current description.</param>
    /// <param name="server">The new description of one server.</param>
    /// <param name="seedCount">How many seeds the client started with (a lone standalone seed makes the topology Single).</param>
    public static TopologyDescription Apply(TopologyDescription topology, ServerDescription server, int seedCount)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(server);
        if (!topology.Servers.TryGetValue(server.Address, out var current))
        {
            // A reply from a server that was removed meanwhile.
            return topology;
        }

        if (TopologyVersion.IsOlder(server.TopologyVersion, current.TopologyVersion))
        {
            return topology;
        }

        var t = topology with { Servers = topology.Servers.SetItem(server.Address, server) };
        switch (t.Type)
        {
            case TopologyType.Single:
                if (t.SetName is not null && server.Type != ServerType.Unknown && server.SetName != t.SetName)
                {
                    var error = $"Server at {server.Address} is in replica set '{server.SetName ?? "(none)"}', not '{t.SetName}'.";
                    return t with { Servers = t.Servers.SetItem(server.Address, ServerDescription.Unknown(server.Address, error)) };
                }

                return t;
            case TopologyType.LoadBalanced:
                return t;
            case TopologyType.Unknown:
                return server.Type switch
                {
                    ServerType.Standalone => seedCount == 1 ? t with { Type = TopologyType.Single } : Remove(t, server.Address),
                    ServerType.Mongos => t with { Type = TopologyType.Sharded },
                    ServerType.RSPrimary => FromPrimary(t with { Type = TopologyType.ReplicaSetWithPrimary }, server),
                    ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther =>
                        WithoutPrimary(t with { Type = TopologyType.ReplicaSetNoPrimary }, server),
                    _ => t,
                };
            case TopologyType.Sharded:
                return server.Type is ServerType.Unknown or ServerType.Mongos ? t : Remove(t, server.Address);
            case TopologyType.ReplicaSetNoPrimary:
                return server.Type switch
                {
                    ServerType.Standalone or ServerType.Mongos => Remove(t, server.Address),
                    ServerType.RSPrimary => FromPrimary(t, server),
                    ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther => WithoutPrimary(t, server),
                    _ => t,
                };
            case TopologyType.ReplicaSetWithPrimary:
                return server.Type switch
                {
                    ServerType.Standalone or ServerType.Mongos => CheckIfHasPrimary(Remove(t, server.Address)),
                    ServerType.RSPrimary => FromPrimary(t, server),
                    ServerType.RSSecondary or ServerType.RSArbiter or ServerType.RSOther => WithPrimaryFromMember(t, server),
                    _ => CheckIfHasPrimary(t),
                };
            default:
                throw new InvalidOperationException($"Unhandled topology type {t.Type}.");
        }
    }

    private static TopologyDescription FromPrimary(TopologyDescription t, ServerDescription primary)
    {
        if (t.SetName is null)
        {
            t = t with { SetName = primary.SetName };
        }
        else if (t.SetName != primary.SetName)
        {
            return CheckIfHasPrimary(Remove(t, primary.Address));
        }

        if (primary.MaxWireVersion >= 17)
        {
            // MongoDB 6.0+: electionId orders terms first, setVersion breaks ties; a missing value sorts lowest.
            var newer = Compare(primary.ElectionId, t.MaxElectionId) is var byElection && byElection != 0
                ? byElection
                : Compare(primary.SetVersion, t.MaxSetVersion);
            if (newer < 0)
            {
                return CheckIfHasPrimary(MarkStale(t, primary.Address));
            }

            t = t with { MaxElectionId = primary.ElectionId, MaxSetVersion = primary.SetVersion };
        }
        else
        {
            if (primary.SetVersion is { } setVersion && primary.ElectionId is { } electionId)
            {
                if (t.MaxSetVersion is { } maxSetVersion && t.MaxElectionId is { } maxElectionId
                    && (maxSetVersion > setVersion || (maxSetVersion == setVersion && maxElectionId > electionId)))
                {
                    return CheckIfHasPrimary(MarkStale(t, primary.Address));
                }

                t = t with { MaxElectionId = electionId };
            }

            if (primary.SetVersion is { } version && (t.MaxSetVersion is null || version > t.MaxSetVersion))
            {
                t = t with { MaxSetVersion = version };
            }
        }

        var servers = t.Servers;
        foreach (var other in servers.Values.Where(s => s.Type == ServerType.RSPrimary && s.Address != primary.Address).ToList())
        {
            // Only one primary: the older one is demoted until its monitor reports again.
            servers = servers.SetItem(other.Address, ServerDescription.Unknown(other.Address, "primary marked stale due to discovery of newer primary"));
        }

        var members = primary.Members.ToHashSet(StringComparer.Ordinal);
        foreach (var member in members.Where(m => !servers.ContainsKey(m)))
        {
            servers = servers.Add(member, ServerDescription.Unknown(member));
        }

        servers = servers.RemoveRange(servers.Keys.Where(k => !members.Contains(k)).ToList());
        return CheckIfHasPrimary(t with { Servers = servers });
    }

    private static TopologyDescription WithoutPrimary(TopologyDescription t, ServerDescription member)
    {
        if (t.SetName is null)
        {
            t = t with { SetName = member.SetName };
        }
        else if (t.SetName != member.SetName)
        {
            return Remove(t, member.Address);
        }

        var servers = t.Servers;
        foreach (var address in member.Members.Where(m => !servers.ContainsKey(m)))
        {
            servers = servers.Add(address, ServerDescription.Unknown(address));
        }

        servers = MarkPossiblePrimary(servers, member.Primary);
        if (member.Me is not null && member.Me != member.Address)
        {
            servers = servers.Remove(member.Address);
        }

        return t with { Servers = servers };
    }

    private static TopologyDescription WithPrimaryFromMember(TopologyDescription t, ServerDescription member)
    {
        if (t.SetName != member.SetName || (member.Me is not null && member.Me != member.Address))
        {
            return CheckIfHasPrimary(Remove(t, member.Address));
        }

        if (!t.Servers.Values.Any(s => s.Type == ServerType.RSPrimary))
        {
            return t with { Type = TopologyType.ReplicaSetNoPrimary, Servers = MarkPossiblePrimary(t.Servers, member.Primary) };
        }

        return t;
    }

    private static System.Collections.Immutable.ImmutableSortedDictionary<string, ServerDescription> MarkPossiblePrimary(
        System.Collections.Immutable.ImmutableSortedDictionary<string, ServerDescription> servers, string? primary) =>
        primary is not null && servers.TryGetValue(primary, out var hinted) && hinted.Type == ServerType.Unknown
            ? servers.SetItem(primary, hinted with { Type = ServerType.PossiblePrimary })
            : servers;

    private static TopologyDescription MarkStale(TopologyDescription t, string address) =>
        t with { Servers = t.Servers.SetItem(address, ServerDescription.Unknown(address, "primary marked stale due to electionId/setVersion mismatch")) };

    private static TopologyDescription Remove(TopologyDescription t, string address) =>
        t with { Servers = t.Servers.Remove(address) };

    public static TopologyDescription CheckIfHasPrimary(TopologyDescription t) =>
        t.Type is TopologyType.ReplicaSetNoPrimary or TopologyType.ReplicaSetWithPrimary
            ? t with
            {
                Type = t.Servers.Values.Any(s => s.Type == ServerType.RSPrimary)
                    ? TopologyType.ReplicaSetWithPrimary
                    : TopologyType.ReplicaSetNoPrimary,
            }
            : t;

    private static int Compare<T>(T? value, T? max)
        where T : struct, IComparable<T> => (value, max) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            ({ } v, { } m) => v.CompareTo(m),
        };
}
