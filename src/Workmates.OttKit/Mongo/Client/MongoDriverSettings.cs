using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Workmates.OttKit.Mongo.Client;
using Driver = MongoDB.Driver;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// Maps a parsed <see cref="MongoConnectionString"/> (validated, redactable) to the official driver's
/// <see cref="Driver.MongoClientSettings"/>. The connection string is never handed to the driver as text, so what the
/// driver logs or throws cannot quote the password.
/// </summary>
internal static class MongoDriverSettings
{
    /// <summary>Builds the driver settings.</summary>
    /// <param name="connectionString">The parsed connection string.</param>
    /// <returns>The settings (not frozen).</returns>
    /// <exception cref="MongoConfigurationException">A TLS file named by the connection string cannot be read.</exception>
    public static Driver.MongoClientSettings From(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Driver.MongoClientSettings();
        if (connectionString.IsSrv && !connectionString.IsSeedListResolved)
        {
            settings.Scheme = MongoDB.Driver.Core.Configuration.ConnectionStringScheme.MongoDBPlusSrv;
            settings.Server = new Driver.MongoServerAddress(connectionString.Hosts[0].Host);
            settings.SrvServiceName = connectionString.SrvServiceName;
            settings.SrvMaxHosts = connectionString.SrvMaxHosts;
        }
        else
        {
            settings.Servers = [.. connectionString.Hosts.Select(h => new Driver.MongoServerAddress(h.Host, h.Port))];
        }

        settings.ReplicaSetName = connectionString.ReplicaSet;
        settings.DirectConnection = connectionString.DirectConnection ?? false;
        settings.LoadBalanced = connectionString.LoadBalanced;
        settings.Credential = Credential(connectionString.Credential);

        settings.ReadPreference = ReadPreference(connectionString.ReadPreference);
        settings.ConnectTimeout = connectionString.ConnectTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : connectionString.ConnectTimeout;
        if (connectionString.SocketTimeout is { } socketTimeout && socketTimeout > TimeSpan.Zero)
        {
            settings.SocketTimeout = socketTimeout;
        }

        settings.ServerSelectionTimeout = connectionString.ServerSelectionTimeout;
        settings.HeartbeatInterval = connectionString.HeartbeatFrequency;
        settings.LocalThreshold = connectionString.LocalThreshold;
        settings.MaxConnectionPoolSize = connectionString.MaxPoolSize;
        settings.MinConnectionPoolSize = connectionString.MinPoolSize;
        if (connectionString.MaxIdleTime is { } idle && idle > TimeSpan.Zero)
        {
            settings.MaxConnectionIdleTime = idle;
        }

        if (connectionString.WaitQueueTimeout is { } wait && wait > TimeSpan.Zero)
        {
            settings.WaitQueueTimeout = wait;
        }

        settings.ApplicationName = connectionString.AppName;
        settings.RetryReads = connectionString.RetryReads;
        settings.RetryWrites = connectionString.RetryWrites;
        if (WriteConcern(connectionString) is { } writeConcern)
        {
            settings.WriteConcern = writeConcern;
        }

        if (connectionString.ReadConcernLevel is { } level)
        {
            settings.ReadConcern = level switch
            {
                "local" => Driver.ReadConcern.Local,
                "majority" => Driver.ReadConcern.Majority,
                "linearizable" => Driver.ReadConcern.Linearizable,
                "available" => Driver.ReadConcern.Available,
                "snapshot" => Driver.ReadConcern.Snapshot,
                _ => Driver.ReadConcern.Default,
            };
        }

        settings.Compressors = [.. connectionString.Compressors.Select(name => Compressor(name, connectionString.ZlibCompressionLevel)).OfType<MongoDB.Driver.Core.Configuration.CompressorConfiguration>()];
        ConfigureTls(settings, connectionString);
        return settings;
    }

    /// <summary>Maps a read preference (mode, tag sets, maxStaleness).</summary>
    /// <param name="readPreference">The project's read preference.</param>
    /// <returns>The driver's read preference.</returns>
    public static Driver.ReadPreference ReadPreference(MongoReadPreference readPreference)
    {
        ArgumentNullException.ThrowIfNull(readPreference);
        var mode = readPreference.Mode switch
        {
            ReadPreferenceMode.Primary => Driver.ReadPreferenceMode.Primary,
            ReadPreferenceMode.PrimaryPreferred => Driver.ReadPreferenceMode.PrimaryPreferred,
            ReadPreferenceMode.Secondary => Driver.ReadPreferenceMode.Secondary,
            ReadPreferenceMode.SecondaryPreferred => Driver.ReadPreferenceMode.SecondaryPreferred,
            _ => Driver.ReadPreferenceMode.Nearest,
        };
        if (mode == Driver.ReadPreferenceMode.Primary)
        {
            return Driver.ReadPreference.Primary;
        }

        var tagSets = readPreference.TagSets.Select(set => new Driver.TagSet(set.Select(t => new Driver.Tag(t.Key, t.Value)))).ToList();
        return new Driver.ReadPreference(mode, tagSets, readPreference.MaxStaleness);
    }

    /// <summary>
    /// The certificate check for <c>tlsCAFile</c>: the chain must end at one of <paramref name="authorities"/> and at
    /// nothing else (the operating system's trust store is not consulted), and the host name must match unless
    /// <paramref name="allowInvalidHostnames"/>.
    /// </summary>
    /// <param name="authorities">The only trust anchors.</param>
    /// <param name="allowInvalidHostnames"><c>tlsAllowInvalidHostnames</c>.</param>
    /// <returns>The callback.</returns>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection authorities, bool allowInvalidHostnames) =>
        (_, certificate, chain, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }

            if (!allowInvalidHostnames && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                // The intermediates the server sent (the leaf is element 0).
                foreach (var element in chain.ChainElements.Skip(1))
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return custom.Build(leaf);
        };

    private static void ConfigureTls(Driver.MongoClientSettings settings, MongoConnectionString connectionString)
    {
        settings.UseTls = connectionString.Tls;
        if (!connectionString.Tls)
        {
            return;
        }

        var ssl = new Driver.SslSettings { CheckCertificateRevocation = false };
        if (connectionString.TlsCertificateKeyFile is { } keyFile)
        {
            var password = connectionString.Options.TryGetValue("tlsCertificateKeyFilePassword", out var p) ? p as string : null;
            try
            {
                ssl.ClientCertificates = [password is null ? X509Certificate2.CreateFromPemFile(keyFile) : X509Certificate2.CreateFromEncryptedPemFile(keyFile, password)];
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                throw new MongoConfigurationException("tlsCertificateKeyFile", $"tlsCertificateKeyFile '{keyFile}' could not be read as a PEM certificate and key: {e.Message}");
            }
        }

        if (connectionString.TlsAllowInvalidCertificates)
        {
            settings.AllowInsecureTls = true;
        }
        else if (connectionString.TlsCAFile is { } caFile)
        {
            X509Certificate2Collection authorities = [];
            try
            {
                authorities.ImportFromPemFile(caFile);
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                throw new MongoConfigurationException("tlsCAFile", $"tlsCAFile '{caFile}' could not be read as PEM certificates: {e.Message}");
            }

            if (authorities.Count == 0)
            {
                throw new MongoConfigurationException("tlsCAFile", $"tlsCAFile '{caFile}' holds no PEM certificate: point it at the CA that signed the members' certificates.");
            }

            ssl.ServerCertificateValidationCallback = TrustOnly(authorities, connectionString.TlsAllowInvalidHostnames);
        }
        else if (connectionString.TlsAllowInvalidHostnames)
        {
            ssl.ServerCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }

        settings.SslSettings = ssl;
    }

    private static Driver.MongoCredential? Credential(MongoCredential? credential) => credential switch
    {
        { Mechanism: "MONGODB-X509" } => Driver.MongoCredential.CreateMongoX509Credential(credential.Username),
        { Username: { } user, Password: { } password } => new Driver.MongoCredential(credential.Mechanism, new Driver.MongoInternalIdentity(credential.Source, user), new Driver.PasswordEvidence(password)),
        _ => null,
    };

    private static Driver.WriteConcern? WriteConcern(MongoConnectionString connectionString)
    {
        Driver.WriteConcern.WValue? w = connectionString.WriteConcernW switch
        {
            int n => n,
            string s => s,
            _ => null,
        };
        if (w is null && connectionString.WriteConcernTimeout is null && connectionString.Journal is null)
        {
            return null;
        }

        return new Driver.WriteConcern(w: w, wTimeout: connectionString.WriteConcernTimeout, journal: connectionString.Journal);
    }

    private static MongoDB.Driver.Core.Configuration.CompressorConfiguration? Compressor(string name, int? zlibLevel)
    {
        var type = name switch
        {
            "zlib" => MongoDB.Driver.Core.Compression.CompressorType.Zlib,
            "snappy" => MongoDB.Driver.Core.Compression.CompressorType.Snappy,
            "zstd" => MongoDB.Driver.Core.Compression.CompressorType.ZStandard,
            _ => (MongoDB.Driver.Core.Compression.CompressorType?)null,
        };
        if (type is not { } t)
        {
            return null;
        }

        var configuration = new MongoDB.Driver.Core.Configuration.CompressorConfiguration(t);
        if (t == MongoDB.Driver.Core.Compression.CompressorType.Zlib && zlibLevel is { } level)
        {
            configuration.Properties.Add("Level", level);
        }

        return configuration;
    }
}
