using System.Security.Cryptography;
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
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=OttKit Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        var server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        var caFile = Path.Combine(_directory, $"ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        return (server, caFile);
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
        var (server, caFile) = IssueCertificates();
        using var certificate = server;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        var reply = await PingAsync(simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(caFile)}&tlsAllowInvalidHostnames=true", expectRefusal: false);

        Assert.Equal(1.0, reply["ok"].AsDouble);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_HostnameMismatchWithoutAllowance_IsRefused()
    {
        var (server, caFile) = IssueCertificates();
        using var certificate = server;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        var error = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(caFile)}"));

        Assert.Contains("Authentication", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_UnknownAuthority_IsRefused()
    {
        var (server, _) = IssueCertificates();
        using var certificate = server;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        _ = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(simulator, "tls=true&tlsAllowInvalidHostnames=true"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_CaFileOfAnotherAuthority_IsRefused()
    {
        var (server, _) = IssueCertificates();
        var (other, otherCaFile) = IssueCertificates();
        using var certificate = server;
        using var unused = other;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        _ = await Assert.ThrowsAsync<MongoServerSelectionException>(() => PingAsync(simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(otherCaFile)}&tlsAllowInvalidHostnames=true"));
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
