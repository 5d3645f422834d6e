namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>
/// The client's view of a deployment, updated by monitor checks and application errors (SDAM). Deterministic and
/// free of I/O: monitors and connection pools call in, and read <see cref="Description"/> and pool generations back.
/// Not thread-safe; the caller serialises updates.
/// </summary>
internal sealed class Topology
{
    private readonly int _seedCount;
    private readonly Dictionary<string, int> _poolGenerations = new(StringComparer.Ordinal);
    private readonly List<SdamEvent> _events = [];

    public Topology(TopologyDescription initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _seedCount = initial.Servers.Count;
        var empty = initial with { Servers = initial.Servers.Clear(), Type = TopologyType.Unknown, SetName = null };
        Description = initial;
        _events.Add(new SdamEvent.TopologyOpening());
        _events.Add(new SdamEvent.TopologyDescriptionChanged(empty, initial));
        foreach (var address in initial.Servers.Keys)
        {
            _events.Add(new SdamEvent.ServerOpening(address));
        }

        if (initial.Type == TopologyType.LoadBalanced)
        {
            // Behind a load balancer there is no monitoring: the one seed is the balancer from the start.
            foreach (var address in initial.Servers.Keys)
            {
                Update(new ServerDescription { Address = address, Type = ServerType.LoadBalancer });
            }
        }
    }

    public Topology(MongoConnectionString connectionString)
        : this(TopologyDescription.Initial(connectionString))
    {
    }

    public TopologyDescription Description { get; private set; }

    /// <summary>The current pool generation of a server (incremented each time its pool is cleared).</summary>
    public int PoolGeneration(string address) => _poolGenerations.GetValueOrDefault(Normalize(address));

    /// <summary>Returns and forgets the SDAM monitoring events published since the last call.</summary>
    public IReadOnlyList<SdamEvent> DrainEvents()
    {
        var drained = _events.ToList();
        _events.Clear();
        return drained;
    }

    /// <summary>
    /// Applies a monitor check: a <c>hello</c> reply, or <see langword="null"/> for a failed check (network error),
    /// which marks the server Unknown and clears its pool.
    /// </summary>
    public void ApplyHello(string address, HelloResult? hello, TimeSpan? roundTripSample = null, DateTimeOffset? receivedAt = null, string? error = null)
    {
        address = Normalize(address);
        if (!Description.Servers.TryGetValue(address, out var current))
        {
            return;
        }

        ServerDescription server;
        if (hello is null)
        {
            server = ServerDescription.Unknown(address, error ?? "The monitor check failed with a network error.");
            ClearPool(address);
        }
        else
        {
            var rtt = roundTripSample is { } sample && current.RoundTripTime is { } average
                ? (0.2 * sample) + (0.8 * average)
                : roundTripSample;
            server = ServerDescription.FromHello(address, hello, rtt, receivedAt);
        }

        Update(server);
    }

    /// <summary>Applies an error from an application operation (SDAM "error handling").</summary>
    public void ApplyApplicationError(ApplicationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var address = Normalize(error.Address);
        if (!Description.Servers.TryGetValue(address, out var current))
        {
            return;
        }

        if (error.Generation is { } generation && generation < PoolGeneration(address))
        {
            // The connection predates the last pool clear: its error says nothing about the server now.
            return;
        }

        switch (error.Kind)
        {
            case ApplicationErrorKind.Timeout:
                // A slow operation is not evidence that the server is down.
                return;
            case ApplicationErrorKind.Network:
                ClearPool(address);
                Update(ServerDescription.Unknown(address, "An operation failed with a network error."));
                return;
            case ApplicationErrorKind.Command:
                var reply = error.Reply;
                if (reply is null)
                {
                    return;
                }

                var code = reply.Ok ? reply.WriteConcernErrorCode : reply.Code;
                var message = reply.Ok ? null : reply.ErrorMessage;
                if ((reply.Ok && reply.WriteConcernErrorCode is null) || !StateChangeErrors.IsStateChange(code, message))
                {
                    return;
                }

                if (TopologyVersion.IsNotNewer(reply.TopologyVersion, current.TopologyVersion))
                {
                    return;
                }

                if (error.MaxWireVersion <= 7 || StateChangeErrors.IsShutdown(code))
                {
                    ClearPool(address);
                }

                Update(ServerDescription.Unknown(address, $"The server reported a state change: {message ?? "code " + code}.", reply.TopologyVersion));
                return;
            default:
                throw new InvalidOperationException($"Unhandled error kind {error.Kind}.");
        }
    }

    private void ClearPool(string address) => _poolGenerations[address] = PoolGeneration(address) + 1;

    private void Update(ServerDescription server)
    {
        var before = Description;
        var after = TopologyUpdate.Apply(before, server, _seedCount);
        if (ReferenceEquals(before, after))
        {
            return;
        }

        var previousServer = before.Servers.GetValueOrDefault(server.Address);
        var newServer = after.Servers.GetValueOrDefault(server.Address) ?? server;
        Description = after;
        if (previousServer is not null && !previousServer.IsEquivalentTo(newServer))
        {
            _events.Add(new SdamEvent.ServerDescriptionChanged(server.Address, previousServer, newServer));
        }

        foreach (var added in after.Servers.Keys.Where(k => !before.Servers.ContainsKey(k)))
        {
            _events.Add(new SdamEvent.ServerOpening(added));
        }

        foreach (var removed in before.Servers.Keys.Where(k => !after.Servers.ContainsKey(k)))
        {
            _events.Add(new SdamEvent.ServerClosed(removed));
            _poolGenerations.Remove(removed);
        }

        if (!Equivalent(before, after))
        {
            _events.Add(new SdamEvent.TopologyDescriptionChanged(before, after));
        }
    }

    private static bool Equivalent(TopologyDescription a, TopologyDescription b) =>
        a.Type == b.Type && a.SetName == b.SetName && a.MaxSetVersion == b.MaxSetVersion && a.MaxElectionId == b.MaxElectionId
        && a.Servers.Count == b.Servers.Count
        && a.Servers.All(s => b.Servers.TryGetValue(s.Key, out var other) && s.Value.IsEquivalentTo(other));

    private static string Normalize(string address) => ServerDescription.Normalize(address)!;
}

/// <summary>SDAM monitoring events, in publication order.</summary>
internal abstract record SdamEvent
{
    private SdamEvent()
    {
    }

    public sealed record TopologyOpening : SdamEvent;

    public sealed record TopologyDescriptionChanged(TopologyDescription Previous, TopologyDescription New) : SdamEvent;

    public sealed record ServerOpening(string Address) : SdamEvent;

    public sealed record ServerDescriptionChanged(string Address, ServerDescription Previous, ServerDescription New) : SdamEvent;

    public sealed record ServerClosed(string Address) : SdamEvent;
}
