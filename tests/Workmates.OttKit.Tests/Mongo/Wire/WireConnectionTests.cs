using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class WireConnectionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<MongoWireConnection> OpenAsync(ReplicaSetSimulator simulator, string? user = null, string? password = null, string? options = null, int member = 0)
    {
        var cs = MongoConnectionString.Parse(simulator.ConnectionString(user, password, options));
        return await MongoWireConnection.OpenAsync(cs.Hosts[member], ConnectionSettings.From(cs), 0, Token);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Handshake_WithoutCredentials_ReadsHelloAndRunsPing()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        await using var connection = await OpenAsync(simulator);

        var ping = await connection.RunCommandAsync("admin", new BsonDocument("ping", 1), null, Token);

        Assert.True(connection.Hello.IsWritablePrimary);
        Assert.Equal("rs0", connection.Hello.SetName);
        Assert.Equal(3, connection.Hello.Hosts.Count);
        Assert.Equal(1.0, ping["ok"].AsDouble);
        var hello = simulator.ReceivedCommands.First(c => c.Name == "hello").Body;
        Assert.Equal("Workmates.OttKit", hello["client"].AsDocument["driver"].AsDocument["name"].AsString);
        Assert.True(hello["client"].AsDocument.Contains("os"));
        Assert.True(hello["helloOk"].AsBoolean);
    }

    [Theory(Timeout = TestTimeouts.Default)]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData(null)]
    public async Task Handshake_WithGoodPassword_Authenticates(string? mechanism)
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "s3cret-Pass");
        await using var connection = await OpenAsync(simulator, "monitor", "s3cret-Pass", mechanism is null ? null : $"authMechanism={mechanism}");

        var status = await connection.RunCommandAsync("admin", new BsonDocument("replSetGetStatus", 1), null, Token);

        Assert.Equal("rs0", status["set"].AsString);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Handshake_NegotiatingMechanism_UsesSpeculativeAuthentication()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "s3cret-Pass");
        await using var connection = await OpenAsync(simulator, "monitor", "s3cret-Pass");

        var names = simulator.ReceivedCommands.Select(c => c.Name).ToList();
        Assert.Equal("SCRAM-SHA-256", simulator.ReceivedCommands.First().Body["speculativeAuthenticate"].AsDocument["mechanism"].AsString);
        Assert.DoesNotContain("saslStart", names);
        Assert.Contains("saslContinue", names);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Handshake_WithBadPassword_ThrowsAuthenticationExceptionWithoutPassword()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("monitor", "s3cret-Pass");

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => OpenAsync(simulator, "monitor", "wrong-Passw0rd"));

        Assert.Equal("monitor", error.Username);
        Assert.DoesNotContain("wrong-Passw0rd", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("AuthenticationFailed", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Command_UserWithoutClusterMonitor_ThrowsUnauthorizedCommandException()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("app", "app-Pass1", clusterMonitor: false);
        await using var connection = await OpenAsync(simulator, "app", "app-Pass1");

        var error = await Assert.ThrowsAsync<MongoCommandException>(() => connection.RunCommandAsync("admin", new BsonDocument("replSetGetStatus", 1), null, Token));

        Assert.Equal(13, error.Code);
        Assert.Equal("Unauthorized", error.CodeName);
        Assert.True(error.IsUnauthorized);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Command_SlowMemberBeyondSocketTimeout_ThrowsTimeoutAndBreaksConnection()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        await using var connection = await OpenAsync(simulator, options: "socketTimeoutMS=200");
        simulator.Members[0].ResponseDelay = TimeSpan.FromSeconds(3);

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), null, Token));

        Assert.True(error.IsTimeout);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.True(connection.IsBroken);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Command_CallerCancels_ThrowsOperationCanceledAndBreaksConnection()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        await using var connection = await OpenAsync(simulator);
        simulator.Members[0].ResponseDelay = TimeSpan.FromSeconds(3);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(150));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), null, cancel.Token));

        Assert.True(connection.IsBroken);
        await Assert.ThrowsAsync<MongoConnectionException>(() => connection.RunCommandAsync("admin", new BsonDocument("ping", 1), null, Token));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Open_UnreachableMember_ThrowsConnectionException()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.MakeUnreachable(2);

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => OpenAsync(simulator, member: 2));

        Assert.Equal(simulator.Members[2].Name, error.Address);
        Assert.True(error.IsTransient);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Compression_Zlib_IsNegotiatedAndUsedAfterHandshake()
    {
        await using var simulator = ReplicaSetSimulator.Start();
        await using var connection = await OpenAsync(simulator, options: "compressors=zlib");

        await connection.RunCommandAsync("admin", new BsonDocument("ping", 1), null, Token);

        Assert.False(simulator.ReceivedCommands.Single(c => c.Name == "hello").Compressed);
        Assert.True(simulator.ReceivedCommands.Single(c => c.Name == "ping").Compressed);
    }
}
