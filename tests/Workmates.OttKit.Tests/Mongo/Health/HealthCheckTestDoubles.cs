using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Tests.Mongo.Health;

/// <summary>A status source that answers with a scripted observation, throws, or never answers.</summary>
internal sealed class FakeReplicaSetStatusSource(Func<CancellationToken, Task<ReplicaSetObservation>> observe) : IReplicaSetStatusSource
{
    public int Calls { get; private set; }

    public static FakeReplicaSetStatusSource Returning(params ReplicaSetObservation[] observations)
    {
        var queue = new Queue<ReplicaSetObservation>(observations);
        var last = observations[^1];
        return new(_ => Task.FromResult(queue.Count > 0 ? queue.Dequeue() : last));
    }

    public static FakeReplicaSetStatusSource Throwing(Exception exception) => new(_ => Task.FromException<ReplicaSetObservation>(exception));

    // Honours its token: completes only when cancelled.
    public static FakeReplicaSetStatusSource WaitingForCancellation() => new(async token =>
    {
        await Task.Delay(Timeout.Infinite, token);
        throw new InvalidOperationException("unreachable");
    });

    // Ignores its token entirely: the check must still return.
    public static FakeReplicaSetStatusSource NeverAnswering() => new(_ => new TaskCompletionSource<ReplicaSetObservation>().Task);

    public Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        Calls++;
        return observe(cancellationToken);
    }
}

internal sealed class RecordingMetricsPublisher : IHealthMetricsPublisher
{
    public List<(string Namespace, IReadOnlyList<HealthMetricDatum> Data)> Published { get; } = [];

    public Task PublishAsync(string metricNamespace, IReadOnlyList<HealthMetricDatum> data, CancellationToken cancellationToken)
    {
        Published.Add((metricNamespace, data));
        return Task.CompletedTask;
    }
}

internal sealed class FailingMetricsPublisher : IHealthMetricsPublisher
{
    public Task PublishAsync(string metricNamespace, IReadOnlyList<HealthMetricDatum> data, CancellationToken cancellationToken) =>
        Task.FromException(new InvalidOperationException("PutMetricData throttled"));
}

internal sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Keeps every log entry so tests can assert on level, event id and message.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _records);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
