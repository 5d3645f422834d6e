using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Client;

public sealed class ClientLoggingTests
{
    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception) + " " + exception);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Logs_DuringDiscoveryAndFailedAuthentication_NeverContainThePassword()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("backup", "the-Real-Pass1");
        simulator.MakeUnreachable(2);
        var logger = new CapturingLogger();
        const string WrongPassword = "Wrong-Secret-42";
        await using (var client = MongoDriverClient.Create(simulator.ConnectionString("backup", WrongPassword, "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=3000&connectTimeoutMS=1000&unknownOption=1"), logger))
        {
            var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.PingAsync(MongoReadPreference.Primary, TestContext.Current.CancellationToken));
            Assert.DoesNotContain(WrongPassword, error.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains(logger.Messages, m => m.Contains("*****", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Messages, m => m.Contains(WrongPassword, StringComparison.Ordinal));
    }
}
