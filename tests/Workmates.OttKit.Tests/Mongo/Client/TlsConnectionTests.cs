using System.Security.Cryptography.X509Certificates;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Client;

public sealed class TlsConnectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ottkit-tls-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A throw-away CA and a server certificate for "localhost" only (so 127.0.0.1 is a name mismatch).</summary>
    private (X509Certificate2 Server, string CaFile) IssueCertificates()
    {
        using var ca = TestCertificateAuthority.Create();
        var caFile = Path.Combine(_directory, $"ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(caFile, ca.CertificatePem);
        return (ca.IssueServerCertificate("localhost"), caFile);
    }

    /// <summary>One member that requires TLS with a certificate for "localhost" from a fresh CA (its file in <c>CaFile</c>).</summary>
    private TlsMember StartTlsMember()
    {
        var (server, caFile) = IssueCertificates();
        var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = server;
        return new TlsMember(simulator, server, caFile);
    }

    private sealed record TlsMember(ReplicaSetSimulator Simulator, X509Certificate2 Certificate, string CaFile) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Simulator.DisposeAsync();
            Certificate.Dispose();
        }
    }

    /// <summary>A direct connection to the first member through the official driver, then a ping.</summary>
    /// <remarks>A refusal surfaces as a server selection timeout (the driver's monitor cannot complete a handshake);
    /// the timeout is short for refusals and generous for the connection that must succeed on a loaded machine.</remarks>
    private static async Task<BsonDocument> PingAsync(ReplicaSetSimulator simulator, string options, bool expectRefusal = true)
    {
        var timeouts = expectRefusal ? "serverSelectionTimeoutMS=1500&connectTimeoutMS=1000" : "serverSelectionTimeoutMS=20000&connectTimeoutMS=10000";
        var cs = MongoConnectionString.Parse(simulator.ConnectionString(options: options + "&directConnection=true&" + timeouts, seeds: 1));
        await using var client = new MongoDriverClient(cs);
        return await client.RunCommandAsync("admin", new BsonDocument("ping", 1), MongoReadPreference.Primary, Token);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_CaFileAndAllowInvalidHostnames_ConnectsAndRunsPing()
    {
        await using var member = StartTlsMember();

        var reply = await PingAsync(member.Simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(member.CaFile)}&tlsAllowInvalidHostnames=true", expectRefusal: false);

        Assert.Equal(1.0, reply["ok"].AsDouble);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_HostnameMismatchWithoutAllowance_IsRefused()
    {
        await using var member = StartTlsMember();

        var error = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(member.Simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(member.CaFile)}"));

        Assert.Contains("Authentication", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_APlaintextClient_IsRefusedByAMemberThatRequiresTls()
    {
        // net.tls.mode: requireTLS (docs/mongo-tls.md): a client that does not speak TLS never gets a reply; the same
        // member answers the same client once it connects with tls=true and the CA.
        await using var member = StartTlsMember();

        _ = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(member.Simulator, "tls=false"));
        var reply = await PingAsync(member.Simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(member.CaFile)}&tlsAllowInvalidHostnames=true", expectRefusal: false);
        Assert.Equal(1.0, reply["ok"].AsDouble);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_UnknownAuthority_IsRefused()
    {
        await using var member = StartTlsMember();

        _ = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(member.Simulator, "tls=true&tlsAllowInvalidHostnames=true"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_CaFileOfAnotherAuthority_IsRefused()
    {
        await using var member = StartTlsMember();
        var (other, otherCaFile) = IssueCertificates();
        using var unused = other;

        _ = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(member.Simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(otherCaFile)}&tlsAllowInvalidHostnames=true"));
    }

    [Fact]
    public void Tls_CaFileIsTheOnlyTrustAnchor_AChainToAnotherRootIsRejectedByTheCallback()
    {
        var (server, caFile) = IssueCertificates();
        var (_, otherCaFile) = IssueCertificates();
        using var certificate = server;
        X509Certificate2Collection own = [];
        own.ImportFromPemFile(caFile);
        X509Certificate2Collection other = [];
        other.ImportFromPemFile(otherCaFile);

        // Even with no policy error reported by the platform (as for a system-trusted chain), only the CA file counts.
        Assert.True(MongoDriverSettings.TrustOnly(own, allowInvalidHostnames: false)(this, certificate, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(MongoDriverSettings.TrustOnly(other, allowInvalidHostnames: false)(this, certificate, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(MongoDriverSettings.TrustOnly(own, allowInvalidHostnames: false)(this, certificate, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.True(MongoDriverSettings.TrustOnly(own, allowInvalidHostnames: true)(this, certificate, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
    }
}
