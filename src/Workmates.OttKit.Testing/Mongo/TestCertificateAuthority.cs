using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Workmates.OttKit.Simulators.Mongo;

/// <summary>
/// A throw-away private CA for the replica-set simulator's TLS (<see cref="ReplicaSetSimulator.TlsCertificate"/>): what the
/// environment's first member issues with openssl at bootstrap (docs/mongo-tls.md), made in memory for one test.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;

    private TestCertificateAuthority(RSA key, X509Certificate2 certificate)
    {
        _key = key;
        _certificate = certificate;
    }

    /// <summary>The CA certificate in PEM, as clients receive it (the <c>ca</c> key of a user secret, or a <c>tlsCAFile</c>).</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>Creates a CA valid from a day ago to a day ahead (TLS validates against the real clock).</summary>
    /// <param name="commonName">The CA's common name.</param>
    /// <returns>The CA.</returns>
    public static TestCertificateAuthority Create(string commonName = "OttKit Test CA")
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return new TestCertificateAuthority(key, request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)));
    }

    /// <summary>Issues a server certificate (with its private key) for the given names; an IP literal becomes an IP SAN.</summary>
    /// <param name="names">The subject alternative names; the first is also the common name.</param>
    /// <returns>The certificate; dispose it when done.</returns>
    public X509Certificate2 IssueServerCertificate(params string[] names)
    {
        ArgumentOutOfRangeException.ThrowIfZero(names.Length);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                alternatives.AddIpAddress(address);
            }
            else
            {
                alternatives.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(_certificate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
