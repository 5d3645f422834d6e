using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Wire;

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

        var caFile = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        return (server, caFile);
    }

    private static async Task<MongoWireConnection> OpenAsync(ReplicaSetSimulator simulator, string options)
    {
        var cs = MongoConnectionString.Parse(simulator.ConnectionString(options: options));
        return await MongoWireConnection.OpenAsync(cs.Hosts[0], ConnectionSettings.From(cs), 0, Token);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_CaFileAndAllowInvalidHostnames_ConnectsAndRunsPing()
    {
        var (server, caFile) = IssueCertificates();
        using var certificate = server;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        await using var connection = await OpenAsync(simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(caFile)}&tlsAllowInvalidHostnames=true");
        var reply = await connection.RunCommandAsync("admin", new BsonDocument("ping", 1), null, Token);

        Assert.Equal(1.0, reply["ok"].AsDouble);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_HostnameMismatchWithoutAllowance_IsRefused()
    {
        var (server, caFile) = IssueCertificates();
        using var certificate = server;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        var error = await Assert.ThrowsAsync<MongoConnectionException>(() => OpenAsync(simulator, $"tls=true&tlsCAFile={Uri.EscapeDataString(caFile)}"));

        Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Tls_UnknownAuthority_IsRefused()
    {
        var (server, _) = IssueCertificates();
        using var certificate = server;
        await using var simulator = ReplicaSetSimulator.Start();
        simulator.TlsCertificate = certificate;

        await Assert.ThrowsAsync<MongoConnectionException>(() => OpenAsync(simulator, "tls=true&tlsAllowInvalidHostnames=true"));
    }
}
