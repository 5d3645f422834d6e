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

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DriverDiagnostics_ServerSelectionAndDiscovery_GoToTheCallersLoggerWithoutCommandDocuments()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("backup", "the-Real-Pass1");
        var logger = new CapturingLogger();
        await using (var client = MongoDriverClient.Create(simulator.ConnectionString("backup", "the-Real-Pass1", "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=5000&connectTimeoutMS=2000"), logger))
        {
            await client.PingAsync(MongoReadPreference.Primary, TestContext.Current.CancellationToken);
        }

        Assert.Contains(logger.Messages, m => m.Contains("Server selection succeeded", StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.Contains("heartbeat", StringComparison.OrdinalIgnoreCase));

        // Command events carry documents (customer data in backups and restores): not bridged.
        Assert.DoesNotContain(logger.Messages, m => m.Contains("Command started", StringComparison.Ordinal) || m.Contains("Command succeeded", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Messages, m => m.Contains("the-Real-Pass1", StringComparison.Ordinal));
    }
}
