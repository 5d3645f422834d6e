using System.Collections.Concurrent;
using System.Globalization;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>A member's replica-set state, with mongod's numeric codes.</summary>
public enum SimulatedMemberState
{
    /// <summary>STARTUP.</summary>
    Startup = 0,

    /// <summary>PRIMARY.</summary>
    Primary = 1,

    /// <summary>SECONDARY.</summary>
    Secondary = 2,

    /// <summary>RECOVERING.</summary>
    Recovering = 3,

    /// <summary>STARTUP2.</summary>
    Startup2 = 5,

    /// <summary>ARBITER.</summary>
    Arbiter = 7,

    /// <summary>ROLLBACK.</summary>
    Rollback = 9,
}

/// <summary>A command the simulator received, for assertions.</summary>
/// <param name="Member">The member (<c>127.0.0.1:port</c>).</param>
/// <param name="Database">The <c>$db</c>.</param>
/// <param name="Name">The command name.</param>
/// <param name="Body">The body.</param>
/// <param name="SequenceDocuments">Documents received in kind-1 sections.</param>
/// <param name="Compressed">Whether it came in OP_COMPRESSED.</param>
/// <param name="LegacyOpQuery">Whether it came as a legacy OP_QUERY rather than OP_MSG.</param>
public sealed record ReceivedCommand(string Member, string Database, string Name, BsonDocument Body, int SequenceDocuments, bool Compressed, bool LegacyOpQuery = false);

/// <summary>
/// TEST INFRASTRUCTURE, not mongod: a loopback replica set, one TCP listener per member on 127.0.0.1, speaking OP_MSG
/// (and OP_QUERY for a first <c>hello</c>), SCRAM-SHA-1/256, and enough commands for discovery, health checks and
/// backups. Scenario methods change member states, optimes, heartbeats, reachability and latency.
/// </summary>
public sealed class ReplicaSetSimulator : IAsyncDisposable
{
    private readonly List<SimulatedMember> _members = [];
    private readonly ConcurrentDictionary<string, SimulatedUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedCommand> _received = new();
    private readonly ConcurrentDictionary<long, SimulatedCursor> _cursors = new();
    private long _nextCursorId = 1000;
    private long _term = 1;

    private ReplicaSetSimulator(string setName)
    {
        SetName = setName;
        StartedAt = DateTimeOffset.UtcNow;
        Data = new SimulatedDataStore(() => Term, StartedAt);
    }

    /// <summary>The replica-set name.</summary>
    public string SetName { get; }

    /// <summary>When the simulator started (members' uptime counts from here).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The members, in <c>_id</c> order.</summary>
    public IReadOnlyList<SimulatedMember> Members => _members;

    /// <summary>The data all members serve.</summary>
    public SimulatedDataStore Data { get; }

    /// <summary>The election term.</summary>
    public long Term => Interlocked.Read(ref _term);

    /// <summary>The replica-set config version.</summary>
    public int ConfigVersion { get; set; } = 1;

    /// <summary><c>maxWriteBatchSize</c> announced in <c>hello</c>.</summary>
    public int MaxWriteBatchSize { get; set; } = 100_000;

    /// <summary><c>maxMessageSizeBytes</c> announced in <c>hello</c>.</summary>
    public int MaxMessageSizeBytes { get; set; } = 48_000_000;

    /// <summary>The default first-batch size of <c>find</c> when the client gives none.</summary>
    public int DefaultBatchSize { get; set; } = 101;

    /// <summary>When set, members require TLS and present this certificate (it must carry its private key).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; set; }

    /// <summary>Every command received, in arrival order.</summary>
    public IReadOnlyCollection<ReceivedCommand> ReceivedCommands => _received;

    /// <summary>
    /// Test hook called on the serving thread for every command before it is answered, e.g. to kill a member on the
    /// third <c>getMore</c> (<see cref="SimulatedMember.Kill"/>) or to write while a backup runs.
    /// </summary>
    public Action<SimulatedMember, ReceivedCommand>? CommandReceived { get; set; }

    /// <summary>Whether commands need an authenticated user (true once a user is added).</summary>
    public bool RequiresAuthentication => !_users.IsEmpty;

    /// <summary>The current primary, if any.</summary>
    public SimulatedMember? Primary => _members.FirstOrDefault(m => m.State == SimulatedMemberState.Primary);

    /// <summary>Starts a set whose first member is primary and the others secondaries.</summary>
    /// <param name="memberCount">How many members (listeners).</param>
    /// <param name="setName">The replica-set name.</param>
    /// <returns>The running simulator.</returns>
    public static ReplicaSetSimulator Start(int memberCount = 3, string setName = "rs0")
    {
        var simulator = new ReplicaSetSimulator(setName);
        for (var i = 0; i < memberCount; i++)
        {
            var member = new SimulatedMember(simulator, i, i == 0 ? SimulatedMemberState.Primary : SimulatedMemberState.Secondary);
            simulator._members.Add(member);
            member.Listen();
        }

        return simulator;
    }

    /// <summary>Adds a SCRAM user (SHA-1 and SHA-256 keys).</summary>
    /// <param name="name">User name.</param>
    /// <param name="password">Password.</param>
    /// <param name="clusterMonitor">Whether the user holds clusterMonitor.</param>
    /// <param name="database">Authentication database.</param>
    public void AddUser(string name, string password, bool clusterMonitor = true, string database = "admin") =>
        _users[$"{database}.{name}"] = new SimulatedUser(name, password, database, clusterMonitor);

    /// <summary>A seed list of every member (<c>mongodb://[user:password@]127.0.0.1:p1,.../?replicaSet=...</c>).</summary>
    /// <param name="user">User name, or null.</param>
    /// <param name="password">Password, or null.</param>
    /// <param name="options">Extra query options, e.g. <c>serverSelectionTimeoutMS=2000</c>.</param>
    /// <param name="seeds">How many members to list as seeds (all when null).</param>
    /// <returns>The connection string.</returns>
    public string ConnectionString(string? user = null, string? password = null, string? options = null, int? seeds = null)
    {
        var credentials = user is null ? string.Empty : $"{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password ?? string.Empty)}@";
        var hosts = string.Join(',', _members.Take(seeds ?? _members.Count).Select(m => m.Name));
        var query = $"replicaSet={SetName}" + (options is null ? string.Empty : "&" + options);
        return $"mongodb://{credentials}{hosts}/?{query}";
    }

    /// <summary>Makes <paramref name="index"/> primary in a new term; the old primary steps down to secondary.</summary>
    /// <param name="index">The member.</param>
    public void ElectPrimary(int index)
    {
        Interlocked.Increment(ref _term);
        foreach (var member in _members.Where(m => m.State == SimulatedMemberState.Primary))
        {
            member.State = SimulatedMemberState.Secondary;
        }

        _members[index].State = SimulatedMemberState.Primary;
        _members[index].ElectionDate = DateTimeOffset.UtcNow;
    }

    /// <summary>An election in progress: the term moves on and no member is primary until <see cref="ElectPrimary"/>.</summary>
    public void StartElection()
    {
        Interlocked.Increment(ref _term);
        foreach (var member in _members.Where(m => m.State == SimulatedMemberState.Primary))
        {
            member.State = SimulatedMemberState.Secondary;
        }
    }

    /// <summary>Stops a member's listener and drops its connections: clients get connection refused.</summary>
    /// <param name="index">The member.</param>
    public void MakeUnreachable(int index) => _members[index].StopListening();

    /// <summary>Starts a stopped member's listener again, on the same port.</summary>
    /// <param name="index">The member.</param>
    public void Restore(int index) => _members[index].Listen();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }

    internal SimulatedUser? FindUser(string database, string name) => _users.GetValueOrDefault($"{database}.{name}");

    internal void Record(ReceivedCommand command) => _received.Enqueue(command);

    internal long OpenCursor(string ns, List<BsonDocument> remaining)
    {
        var id = Interlocked.Increment(ref _nextCursorId);
        _cursors[id] = new SimulatedCursor(ns, remaining);
        return id;
    }

    internal long OpenTailableCursor(string ns, List<BsonDocument> remaining, SimulatedTail tail)
    {
        var id = Interlocked.Increment(ref _nextCursorId);
        _cursors[id] = new SimulatedCursor(ns, remaining) { Tail = tail };
        return id;
    }

    internal SimulatedCursor? FindCursor(long id) => _cursors.GetValueOrDefault(id);

    internal bool CloseCursor(long id) => _cursors.TryRemove(id, out _);

    /// <summary>The optime a member reports: the last write, minus its lag; 1970 for an unreachable member.</summary>
    internal BsonTimestamp OpTimeOf(SimulatedMember member)
    {
        var last = Data.LastOpTime;
        var lagSeconds = (uint)Math.Max(0, member.Lag.TotalSeconds);
        return lagSeconds == 0 ? last : new BsonTimestamp(last.Seconds > lagSeconds ? last.Seconds - lagSeconds : 0, 1);
    }

    internal string Describe() => string.Create(CultureInfo.InvariantCulture, $"{SetName} term {Term}: {string.Join(", ", _members.Select(m => $"{m.Name}={m.State}"))}");
}

/// <summary>An open cursor's remaining documents.</summary>
internal sealed class SimulatedCursor(string ns, List<BsonDocument> remaining)
{
    public string Namespace { get; } = ns;

    public List<BsonDocument> Remaining { get; } = remaining;

    /// <summary>For a tailable cursor: where it stands in its capped collection; null otherwise.</summary>
    public SimulatedTail? Tail { get; init; }
}

/// <summary>
/// A tailable cursor's position: the last document it scanned (by reference: capped collections only grow at the end
/// and lose documents at the front), its filter, and whether getMore may wait (<c>awaitData</c>).
/// </summary>
internal sealed class SimulatedTail(string database, string collection, BsonDocument filter, bool awaitData)
{
    public string Database { get; } = database;

    public string Collection { get; } = collection;

    public BsonDocument Filter { get; } = filter;

    public bool AwaitData { get; } = awaitData;

    public BsonDocument? LastScanned { get; set; }
}
