namespace Workmates.OttKit.Simulators.Aws;

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>HTTP 400 with the protocol's throttling code (ECS <c>ThrottlingException</c>, query <c>Throttling</c>).</summary>
    Throttle,

    /// <summary>HTTP 500 with the protocol's internal-error code.</summary>
    InternalError,

    /// <summary>HTTP 503 with <c>ServiceUnavailable</c>.</summary>
    ServiceUnavailable,

    /// <summary>The request is served normally, after a delay (real or on the virtual clock).</summary>
    Slow,

    /// <summary>The connection is aborted without a response.</summary>
    DropConnection,
}

/// <summary>
/// One fault-injection rule: a fault kind, which requests it applies to (an operation, given call numbers,
/// or a rate drawn from the injector's seeded random), and for <see cref="FaultKind.Slow"/> the delay.
/// </summary>
public sealed record FaultRule
{
    /// <summary>The fault to inject.</summary>
    public required FaultKind Kind { get; init; }

    /// <summary>Only requests for this operation (wire name); null means every operation.</summary>
    public string? Operation { get; init; }

    /// <summary>Fire on these 1-based call numbers (counted per <see cref="Operation"/> when set, else over all calls).</summary>
    public IReadOnlySet<int>? CallNumbers { get; init; }

    /// <summary>Probability in [0, 1] of firing on a matching call, drawn from the seeded random.</summary>
    public double Rate { get; init; } = 1.0;

    /// <summary>For <see cref="FaultKind.Slow"/>: how long the response is held.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>For <see cref="FaultKind.Slow"/>: advance the virtual clock by <see cref="Delay"/> instead of sleeping.</summary>
    public bool VirtualDelay { get; init; }

    /// <summary>A throttling rule.</summary>
    public static FaultRule Throttle() => new() { Kind = FaultKind.Throttle };

    /// <summary>An HTTP 500 rule.</summary>
    public static FaultRule InternalError() => new() { Kind = FaultKind.InternalError };

    /// <summary>An HTTP 503 rule.</summary>
    public static FaultRule ServiceUnavailable() => new() { Kind = FaultKind.ServiceUnavailable };

    /// <summary>A dropped-connection rule.</summary>
    public static FaultRule DropConnection() => new() { Kind = FaultKind.DropConnection };

    /// <summary>A slow-response rule.</summary>
    public static FaultRule Slow(TimeSpan delay, bool virtualDelay = false) =>
        new() { Kind = FaultKind.Slow, Delay = delay, VirtualDelay = virtualDelay };

    /// <summary>Restricts the rule to one operation.</summary>
    public FaultRule ForOperation(string operation) => this with { Operation = operation };

    /// <summary>Fires at the given rate (0–1).</summary>
    public FaultRule AtRate(double rate) =>
        rate is < 0 or > 1 ? throw new ArgumentOutOfRangeException(nameof(rate), "A rate is a probability in [0, 1].") : this with { Rate = rate };

    /// <summary>Fires on the given 1-based call numbers.</summary>
    public FaultRule OnCalls(params int[] callNumbers) => this with { CallNumbers = callNumbers.ToHashSet() };
}

/// <summary>
/// Decides, per request, which fault (if any) to inject. Deterministic: the random is seeded and drawn once per
/// rate-limited matching rule, in rule order.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Dictionary<string, int> _callsPerOperation = new(StringComparer.Ordinal);
    private Random _random;
    private int _calls;

    /// <summary>Creates an injector with a fixed seed.</summary>
    public FaultInjector(int seed = 12345) => _random = new Random(seed);

    /// <summary>Adds a rule; rules are checked in the order added and the first that fires wins.</summary>
    public FaultInjector Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return this;
    }

    /// <summary>Removes every rule and restarts the call counters and the random sequence.</summary>
    public void Reset(int seed = 12345)
    {
        lock (_gate)
        {
            _rules.Clear();
            _callsPerOperation.Clear();
            _calls = 0;
            _random = new Random(seed);
        }
    }

    internal FaultRule? Next(string operation)
    {
        lock (_gate)
        {
            _calls++;
            _callsPerOperation[operation] = _callsPerOperation.GetValueOrDefault(operation) + 1;
            foreach (var rule in _rules)
            {
                if (rule.Operation is not null && rule.Operation != operation)
                {
                    continue;
                }

                var callNumber = rule.Operation is null ? _calls : _callsPerOperation[operation];
                if (rule.CallNumbers is not null && !rule.CallNumbers.Contains(callNumber))
                {
                    continue;
                }

                if (rule.Rate >= 1.0 || _random.NextDouble() < rule.Rate)
                {
                    return rule;
                }
            }

            return null;
        }
    }
}

/// <summary>One request as the simulator saw it.</summary>
/// <param name="Sequence">1-based arrival order.</param>
/// <param name="Operation">Wire operation name (or "?" when it could not be read).</param>
/// <param name="Time">Virtual time at arrival.</param>
/// <param name="StatusCode">HTTP status returned (0 when the connection was dropped).</param>
/// <param name="ErrorCode">The AWS error code returned, if any.</param>
/// <param name="Fault">The injected fault, if any.</param>
/// <param name="AccessKeyId">The access key the request claimed, if any.</param>
public sealed record SimulatorRequest(
    int Sequence,
    string Operation,
    DateTimeOffset Time,
    int StatusCode,
    string? ErrorCode,
    FaultKind? Fault,
    string? AccessKeyId);

/// <summary>The thread-safe log of every request a simulator received.</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<SimulatorRequest> _entries = [];
    private int _sequence;

    /// <summary>A snapshot of the entries in arrival order.</summary>
    public IReadOnlyList<SimulatorRequest> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Entries for one operation.</summary>
    public IReadOnlyList<SimulatorRequest> For(string operation) => Entries.Where(e => e.Operation == operation).ToList();

    /// <summary>Empties the log.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal int NextSequence() => Interlocked.Increment(ref _sequence);

    internal void Add(SimulatorRequest entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }
}
