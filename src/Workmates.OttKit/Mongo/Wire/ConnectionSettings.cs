using System.Globalization;
using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Workmates.OttKit.Mongo.Bson;

namespace Workmates.OttKit.Mongo.Wire;

/// <summary>What one connection needs to open and handshake, taken from the connection string.</summary>
internal sealed record ConnectionSettings
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The per-operation read/write timeout after the handshake; <see langword="null"/> waits forever.</summary>
    public TimeSpan? SocketTimeout { get; init; }

    public bool Tls { get; init; }

    public string? TlsCAFile { get; init; }

    public string? TlsCertificateKeyFile { get; init; }

    public string? TlsCertificateKeyFilePassword { get; init; }

    public bool TlsAllowInvalidCertificates { get; init; }

    public bool TlsAllowInvalidHostnames { get; init; }

    /// <summary>Who to authenticate as; monitoring connections leave it <see langword="null"/>.</summary>
    public MongoCredential? Credential { get; init; }

    public string? AppName { get; init; }

    public IReadOnlyList<string> Compressors { get; init; } = [];

    public int ZlibCompressionLevel { get; init; } = -1;

    public static ConnectionSettings From(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return new ConnectionSettings
        {
            ConnectTimeout = connectionString.ConnectTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : connectionString.ConnectTimeout,
            SocketTimeout = connectionString.SocketTimeout is { } t && t > TimeSpan.Zero ? t : null,
            Tls = connectionString.Tls,
            TlsCAFile = connectionString.TlsCAFile,
            TlsCertificateKeyFile = connectionString.TlsCertificateKeyFile,
            TlsCertificateKeyFilePassword = connectionString.Options.TryGetValue("tlsCertificateKeyFilePassword", out var p) ? p as string : null,
            TlsAllowInvalidCertificates = connectionString.TlsAllowInvalidCertificates,
            TlsAllowInvalidHostnames = connectionString.TlsAllowInvalidHostnames,
            Credential = connectionString.Credential,
            AppName = connectionString.AppName,
            Compressors = connectionString.Compressors,
            ZlibCompressionLevel = connectionString.ZlibCompressionLevel ?? -1,
        };
    }

    /// <summary>The <c>client</c> document of the handshake (driver, os, platform, application).</summary>
    public BsonDocument ClientMetadata()
    {
        var version = typeof(ConnectionSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var osType = OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsMacOS() ? "Darwin" : OperatingSystem.IsLinux() ? "Linux" : "Unknown";
        var metadata = new BsonDocument();
        if (AppName is not null)
        {
            metadata.Add("application", new BsonDocument("name", AppName));
        }

        metadata.Add("driver", new BsonDocument { { "name", "Workmates.OttKit" }, { "version", version.Split('+')[0] } });
        metadata.Add("os", new BsonDocument
        {
            { "type", osType },
            { "name", RuntimeInformation.OSDescription },
            { "architecture", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() },
        });
        metadata.Add("platform", RuntimeInformation.FrameworkDescription);
        return metadata;
    }

    /// <summary>TLS options: the CA file as the only trust anchor when given; a client certificate from a PEM file.</summary>
    public SslClientAuthenticationOptions SslOptions(string host)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.None, // the OS default: TLS 1.2/1.3
        };
        if (TlsCertificateKeyFile is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(TlsCertificateKeyFile);
            if (TlsCertificateKeyFilePassword is not null)
            {
                certificate.Dispose();
                certificate = X509Certificate2.CreateFromEncryptedPemFile(TlsCertificateKeyFile, TlsCertificateKeyFilePassword);
            }

            options.ClientCertificates = [certificate];
        }

        X509Certificate2Collection? authorities = null;
        if (TlsCAFile is not null)
        {
            authorities = [];
            authorities.ImportFromPemFile(TlsCAFile);
        }

        options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            if (TlsAllowInvalidCertificates)
            {
                return true;
            }

            if (TlsAllowInvalidHostnames)
            {
                errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            }

            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && authorities is not null && certificate is not null)
            {
                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
                custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                if (custom.Build(leaf))
                {
                    errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
                }
            }

            return errors == SslPolicyErrors.None;
        };
        return options;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ConnectionSettings(tls={Tls}, user={Credential?.Username ?? "none"})");
}
