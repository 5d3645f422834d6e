using System.Globalization;
using System.Text;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// A parsed, validated MongoDB connection string (Connection String and URI Options specs). Immutable. Option names
/// are case-insensitive; invalid values the spec says to ignore are collected in <see cref="Warnings"/>; everything
/// else that is wrong throws <see cref="MongoConfigurationException"/>. <see cref="ToString"/> never shows a password.
/// </summary>
public sealed class MongoConnectionString
{
    private static readonly string[] s_proxyDependents = ["proxyPort", "proxyUsername", "proxyPassword"];

    private readonly Dictionary<string, object> _options;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _rawOptions;
    private readonly ConnectionStringParser.RawParts _parts;

    private MongoConnectionString(
        ConnectionStringParser.RawParts parts, Dictionary<string, object> options, List<string> warnings, MongoCredential? credential, bool seedListResolved)
    {
        IsSrv = parts.IsSrv;
        IsSeedListResolved = seedListResolved;
        _parts = parts;
        Hosts = parts.Hosts;
        Username = parts.Username;
        Password = parts.Password;
        Database = parts.Database;
        _options = options;
        _rawOptions = parts.Options;
        Warnings = warnings;
        Credential = credential;
        ReadPreference = BuildReadPreference();
    }

    /// <summary>Whether the URI used <c>mongodb+srv://</c> (the single host is an SRV domain to resolve).</summary>
    public bool IsSrv { get; }

    /// <summary>Whether the hosts of a <c>mongodb+srv</c> URI have been replaced by its SRV records.</summary>
    public bool IsSeedListResolved { get; }

    /// <summary>The seed list, in the order written (or as resolved from SRV records).</summary>
    public IReadOnlyList<MongoServerAddress> Hosts { get; }

    /// <summary>The percent-decoded user name, if the URI has userinfo.</summary>
    public string? Username { get; }

    /// <summary>The database in the path (the default auth database), percent-decoded.</summary>
    public string? Database { get; }

    /// <summary>The credential to authenticate with, or <see langword="null"/> when the client must not authenticate.</summary>
    public MongoCredential? Credential { get; }

    /// <summary>Problems that were ignored (unknown options, invalid values, repeated keys).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Every recognised option under its canonical name (lookup is case-insensitive). Values are <see cref="int"/>,
    /// <see cref="bool"/>, <see cref="string"/>, a list of strings (<c>compressors</c>), a list of tag dictionaries
    /// (<c>readPreferenceTags</c>) or a dictionary (<c>authMechanismProperties</c>); <c>w</c> is an int or a string.
    /// </summary>
    public IReadOnlyDictionary<string, object> Options => _options;

    /// <summary>The replica-set name (<c>replicaSet</c>).</summary>
    public string? ReplicaSet => Get<string>("replicaSet");

    /// <summary>Whether to connect to the one host only (<c>directConnection</c>); <see langword="null"/> when not given.</summary>
    public bool? DirectConnection => GetValue<bool>("directConnection");

    /// <summary>Whether the hosts are behind a load balancer (<c>loadBalanced</c>).</summary>
    public bool LoadBalanced => GetValue<bool>("loadBalanced") ?? false;

    /// <summary>Whether TLS is on (<c>tls</c>/<c>ssl</c>; on by default for <c>mongodb+srv</c>).</summary>
    public bool Tls => GetValue<bool>("tls") ?? GetValue<bool>("ssl") ?? IsSrv;

    /// <summary>Whether certificate and host-name validation are both off (<c>tlsInsecure</c>).</summary>
    public bool TlsInsecure => GetValue<bool>("tlsInsecure") ?? false;

    /// <summary>Whether invalid server certificates are accepted (<c>tlsAllowInvalidCertificates</c> or <c>tlsInsecure</c>).</summary>
    public bool TlsAllowInvalidCertificates => GetValue<bool>("tlsAllowInvalidCertificates") ?? TlsInsecure;

    /// <summary>Whether a host-name mismatch is accepted (<c>tlsAllowInvalidHostnames</c> or <c>tlsInsecure</c>).</summary>
    public bool TlsAllowInvalidHostnames => GetValue<bool>("tlsAllowInvalidHostnames") ?? TlsInsecure;

    /// <summary>The CA bundle to trust (<c>tlsCAFile</c>).</summary>
    public string? TlsCAFile => Get<string>("tlsCAFile");

    /// <summary>The client certificate and key, PEM (<c>tlsCertificateKeyFile</c>).</summary>
    public string? TlsCertificateKeyFile => Get<string>("tlsCertificateKeyFile");

    /// <summary>Connect timeout (<c>connectTimeoutMS</c>, default 10 s; zero means none).</summary>
    public TimeSpan ConnectTimeout => Milliseconds("connectTimeoutMS") ?? TimeSpan.FromSeconds(10);

    /// <summary>Socket read/write timeout (<c>socketTimeoutMS</c>); <see langword="null"/> or zero means none.</summary>
    public TimeSpan? SocketTimeout => Milliseconds("socketTimeoutMS");

    /// <summary>How long server selection waits (<c>serverSelectionTimeoutMS</c>, default 30 s).</summary>
    public TimeSpan ServerSelectionTimeout => Milliseconds("serverSelectionTimeoutMS") ?? TimeSpan.FromSeconds(30);

    /// <summary>Interval between monitor checks (<c>heartbeatFrequencyMS</c>, default 10 s, minimum 500 ms).</summary>
    public TimeSpan HeartbeatFrequency => Milliseconds("heartbeatFrequencyMS") ?? TimeSpan.FromSeconds(10);

    /// <summary>Width of the latency window for selection (<c>localThresholdMS</c>, default 15 ms).</summary>
    public TimeSpan LocalThreshold => Milliseconds("localThresholdMS") ?? TimeSpan.FromMilliseconds(15);

    /// <summary>Maximum connections per server (<c>maxPoolSize</c>, default 100; 0 means unlimited).</summary>
    public int MaxPoolSize => GetValue<int>("maxPoolSize") ?? 100;

    /// <summary>Connections kept open per server (<c>minPoolSize</c>, default 0).</summary>
    public int MinPoolSize => GetValue<int>("minPoolSize") ?? 0;

    /// <summary>How long an idle pooled connection lives (<c>maxIdleTimeMS</c>); <see langword="null"/> for ever.</summary>
    public TimeSpan? MaxIdleTime => Milliseconds("maxIdleTimeMS");

    /// <summary>How long a caller waits for a pooled connection (<c>waitQueueTimeoutMS</c>).</summary>
    public TimeSpan? WaitQueueTimeout => Milliseconds("waitQueueTimeoutMS");

    /// <summary>The read preference (<c>readPreference</c>, <c>readPreferenceTags</c>, <c>maxStalenessSeconds</c>).</summary>
    public MongoReadPreference ReadPreference { get; }

    /// <summary>The write concern <c>w</c>: an <see cref="int"/> or a string such as <c>majority</c>.</summary>
    public object? WriteConcernW => _options.GetValueOrDefault("w");

    /// <summary>The write-concern timeout (<c>wTimeoutMS</c>).</summary>
    public TimeSpan? WriteConcernTimeout => Milliseconds("wTimeoutMS");

    /// <summary>Whether writes wait for the journal (<c>journal</c>).</summary>
    public bool? Journal => GetValue<bool>("journal");

    /// <summary>The read concern level (<c>readConcernLevel</c>).</summary>
    public string? ReadConcernLevel => Get<string>("readConcernLevel");

    /// <summary>The application name sent in the handshake (<c>appName</c>).</summary>
    public string? AppName => Get<string>("appName");

    /// <summary>Wire compressors to offer, in preference order (<c>compressors</c>).</summary>
    public IReadOnlyList<string> Compressors => Get<IReadOnlyList<string>>("compressors") ?? [];

    /// <summary>zlib level (<c>zlibCompressionLevel</c>, -1 to 9).</summary>
    public int? ZlibCompressionLevel => GetValue<int>("zlibCompressionLevel");

    /// <summary>Whether reads are retried once (<c>retryReads</c>, default true).</summary>
    public bool RetryReads => GetValue<bool>("retryReads") ?? true;

    /// <summary>Whether writes are retried once (<c>retryWrites</c>, default true).</summary>
    public bool RetryWrites => GetValue<bool>("retryWrites") ?? true;

    /// <summary>Maximum hosts taken from SRV records (<c>srvMaxHosts</c>, 0 for all).</summary>
    public int SrvMaxHosts => GetValue<int>("srvMaxHosts") ?? 0;

    /// <summary>The SRV service name (<c>srvServiceName</c>, default <c>mongodb</c>).</summary>
    public string SrvServiceName => Get<string>("srvServiceName") ?? "mongodb";

    internal string? Password { get; }

    /// <summary>Parses and validates a connection string.</summary>
    /// <param name="uri">A <c>mongodb://</c> or <c>mongodb+srv://</c> URI.</param>
    /// <returns>The parsed connection string.</returns>
    /// <exception cref="MongoConfigurationException">The URI is invalid; the message names the part and the fix.</exception>
    public static MongoConnectionString Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Build(ConnectionStringParser.Split(uri), seedListResolved: false);
    }

    /// <summary>
    /// The same credentials and options, connected directly to one member (<c>directConnection=true</c>, no
    /// <c>replicaSet</c>, no SRV): how a backup pins every read to the member it chose.
    /// </summary>
    internal MongoConnectionString ForDirectConnection(MongoServerAddress member)
    {
        var dropped = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "replicaSet", "directConnection", "srvMaxHosts", "srvServiceName", "loadBalanced" };
        var options = _parts.Options.Where(o => !dropped.Contains(o.Key)).Append(new KeyValuePair<string, string>("directConnection", "true")).ToList();
        if (IsSrv && !options.Any(o => o.Key.Equals("tls", StringComparison.OrdinalIgnoreCase) || o.Key.Equals("ssl", StringComparison.OrdinalIgnoreCase)))
        {
            // mongodb+srv turns TLS on by default; the direct mongodb:// form must say so.
            options.Add(new KeyValuePair<string, string>("tls", "true"));
        }

        return Build(_parts with { IsSrv = false, Hosts = [member], Options = options }, seedListResolved: true);
    }

    private static MongoConnectionString Build(ConnectionStringParser.RawParts parts, bool seedListResolved)
    {
        var warnings = new List<string>();
        var options = ParseOptions(parts.Options, warnings);
        Validate(parts, options);

        var credential = MongoCredential.FromConnectionString(
            parts.Username,
            parts.Password,
            parts.Database,
            options.GetValueOrDefault("authSource") as string,
            options.GetValueOrDefault("authMechanism") as string,
            options.GetValueOrDefault("authMechanismProperties") as IReadOnlyDictionary<string, string>);
        return new MongoConnectionString(parts, options, warnings, credential, seedListResolved);
    }

    /// <summary>
    /// Throws when the seed list still needs DNS: a <c>mongodb+srv</c> URI whose SRV records have not been resolved.
    /// Backup and restore call it: they open direct connections to the member they choose, and the options an SRV
    /// name's TXT record adds (<c>authSource</c>, <c>replicaSet</c>) would not reach those connections. The health check
    /// accepts <c>mongodb+srv://</c> (the driver resolves it).
    /// </summary>
    /// <exception cref="MongoConfigurationException">The URI uses <c>mongodb+srv://</c> and is unresolved.</exception>
    public void EnsureSeedListIsExplicit()
    {
        if (IsSrv && !IsSeedListResolved)
        {
            throw new MongoConfigurationException("scheme",
                "mongodb+srv:// is accepted by the health check, but backup and restore connect directly to one member and need the members listed. List them instead: " +
                "mongodb://host1:27017,host2:27017,host3:27017/?replicaSet=<name>&tls=true");
        }
    }

    /// <summary>
    /// The connection string with the password, secret option values, unknown options' values and every
    /// <c>authMechanismProperties</c> value replaced by <c>*****</c>: safe to log and print.
    /// </summary>
    public string Redacted
    {
        get
        {
            var text = new StringBuilder(IsSrv ? ConnectionStringParser.SrvScheme : ConnectionStringParser.Scheme);
            if (Username is not null)
            {
                text.Append(Uri.EscapeDataString(Username));
                if (Password is not null)
                {
                    text.Append(":*****");
                }

                text.Append('@');
            }

            // An unresolved mongodb+srv name is written without a port (a port there is not a valid SRV URI).
            var srvName = IsSrv && !IsSeedListResolved;
            text.AppendJoin(',', Hosts.Select(h => h.Kind == MongoHostKind.UnixSocket ? Uri.EscapeDataString(h.Host) : srvName ? h.Host : h.ToString()));
            text.Append('/');
            if (Database is not null)
            {
                text.Append(Uri.EscapeDataString(Database));
            }

            if (_rawOptions.Count > 0)
            {
                text.Append('?');
                text.AppendJoin('&', _rawOptions.Select(o => (IsPlainName(o.Key) ? o.Key : "*****") + "=" + RedactedValue(o.Key, o.Value)));
            }

            return text.ToString();
        }
    }

    /// <summary>The <see cref="Redacted"/> form.</summary>
    public override string ToString() => Redacted;

    /// <summary>
    /// Whether an option name can be echoed: letters, digits, '_', '.' and '-' only. Anything else (a pasted second
    /// URI, "user:password@host" in the query) is not a name and may hold a secret.
    /// </summary>
    private static bool IsPlainName(string key) =>
        key.Length is > 0 and <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static string ShownName(string key) => IsPlainName(key) ? $"'{key}'" : "(a name that is not an option name; not shown)";

    /// <summary>
    /// An option value as <see cref="Redacted"/> shows it: secrets (<c>proxyPassword</c>,
    /// <c>tlsCertificateKeyFilePassword</c>) and options this client does not know (which may be a legacy password
    /// option) are masked; <c>authMechanismProperties</c> keeps its names and masks every value (AWS session tokens).
    /// </summary>
    private static string RedactedValue(string key, string value)
    {
        if (UriOptionTable.Find(key) is not { Secret: false } option)
        {
            return "*****";
        }


        if (option.Kind == UriOptionTable.Kind.Properties)
        {
            return string.Join(',', value.Split(',').Select(pair => pair.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? pair[..colon] + ":*****" : "*****"));
        }

        return value;
    }

    private static Dictionary<string, object> ParseOptions(IReadOnlyList<KeyValuePair<string, string>> raw, List<string> warnings)
    {
        var options = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var tagSets = new List<IReadOnlyDictionary<string, string>>();
        var aliasValues = new List<(string Alias, string Target, string Value)>();

        foreach (var (key, rawValue) in raw)
        {
            var option = UriOptionTable.Find(key);
            if (option is null)
            {
                var target = UriOptionTable.AliasTarget(key);
                if (target is null)
                {
                    warnings.Add($"Unknown option {ShownName(key)} was ignored.");
                }
                else
                {
                    aliasValues.Add((key, target, rawValue));
                }

                continue;
            }

            var value = ConnectionStringParser.Decode(rawValue, option.Name);
            if (!seen.Add(option.Name) && option.Kind != UriOptionTable.Kind.Tags)
            {
                if (option.Name.StartsWith("proxy", StringComparison.Ordinal))
                {
                    throw new MongoConfigurationException(option.Name, $"'{option.Name}' is given more than once. Give it once.");
                }

                warnings.Add($"Option '{option.Name}' is given more than once; the last value is used.");
                options.Remove(option.Name);
            }

            var parsed = UriOptionTable.ParseValue(option, value, warnings);
            if (parsed is null)
            {
                continue;
            }

            if (option.Kind == UriOptionTable.Kind.Tags)
            {
                tagSets.Add((IReadOnlyDictionary<string, string>)parsed);
                options[option.Name] = tagSets;
            }
            else
            {
                options[option.Name] = parsed;
            }
        }

        foreach (var (alias, target, value) in aliasValues)
        {
            // A deprecated spelling only counts when the current one is absent.
            if (seen.Contains(target))
            {
                warnings.Add($"Deprecated option '{alias}' was ignored because '{target}' is also given.");
                continue;
            }

            warnings.Add($"Option '{alias}' is deprecated; use '{target}'.");
            if (alias.Equals("wtimeout", StringComparison.OrdinalIgnoreCase) || alias.Equals("j", StringComparison.OrdinalIgnoreCase))
            {
                var parsed = UriOptionTable.ParseValue(UriOptionTable.Find(target)!, ConnectionStringParser.Decode(value, alias), warnings);
                if (parsed is not null)
                {
                    options[target] = parsed;
                }
            }
        }

        return options;
    }

    private static void Validate(ConnectionStringParser.RawParts parts, Dictionary<string, object> options)
    {
        bool? Flag(string name) => options.TryGetValue(name, out var v) ? (bool)v : null;
        bool Has(string name) => options.ContainsKey(name);

        if (Flag("tls") is { } tls && Flag("ssl") is { } ssl && tls != ssl)
        {
            throw new MongoConfigurationException("tls", "tls and ssl are the same option and disagree. Keep one (prefer tls).");
        }

        Conflict(Has("tlsInsecure"), "tlsInsecure", Has("tlsAllowInvalidCertificates"), "tlsAllowInvalidCertificates");
        Conflict(Has("tlsInsecure"), "tlsInsecure", Has("tlsAllowInvalidHostnames"), "tlsAllowInvalidHostnames");
        Conflict(Has("tlsInsecure"), "tlsInsecure", Has("tlsDisableCertificateRevocationCheck"), "tlsDisableCertificateRevocationCheck");
        Conflict(Has("tlsInsecure"), "tlsInsecure", Has("tlsDisableOCSPEndpointCheck"), "tlsDisableOCSPEndpointCheck");
        Conflict(Has("tlsAllowInvalidCertificates"), "tlsAllowInvalidCertificates", Has("tlsDisableCertificateRevocationCheck"), "tlsDisableCertificateRevocationCheck");
        Conflict(Has("tlsAllowInvalidCertificates"), "tlsAllowInvalidCertificates", Has("tlsDisableOCSPEndpointCheck"), "tlsDisableOCSPEndpointCheck");
        Conflict(Has("tlsDisableCertificateRevocationCheck"), "tlsDisableCertificateRevocationCheck", Has("tlsDisableOCSPEndpointCheck"), "tlsDisableOCSPEndpointCheck");

        if (Flag("directConnection") == true)
        {
            if (parts.Hosts.Count > 1)
            {
                throw new MongoConfigurationException("directConnection", "directConnection=true needs exactly one host. Remove the other hosts or set directConnection=false.");
            }

            if (parts.IsSrv)
            {
                throw new MongoConfigurationException("directConnection", "directConnection=true cannot be used with mongodb+srv://.");
            }
        }

        if (Flag("loadBalanced") == true)
        {
            if (parts.Hosts.Count > 1)
            {
                throw new MongoConfigurationException("loadBalanced", "loadBalanced=true needs exactly one host (the load balancer).");
            }

            Conflict(true, "loadBalanced=true", Flag("directConnection") == true, "directConnection=true");
            Conflict(true, "loadBalanced=true", Has("replicaSet"), "replicaSet");
        }

        if (!parts.IsSrv)
        {
            foreach (var srvOnly in new[] { "srvMaxHosts", "srvServiceName" })
            {
                if (Has(srvOnly))
                {
                    throw new MongoConfigurationException(srvOnly, $"{srvOnly} only applies to mongodb+srv:// URIs. Remove it.");
                }
            }
        }
        else if (options.TryGetValue("srvMaxHosts", out var max) && (int)max > 0)
        {
            Conflict(true, "srvMaxHosts", Has("replicaSet"), "replicaSet");
            Conflict(true, "srvMaxHosts", Flag("loadBalanced") == true, "loadBalanced=true");
        }

        if (!Has("proxyHost"))
        {
            var orphan = s_proxyDependents.FirstOrDefault(Has);
            if (orphan is not null)
            {
                throw new MongoConfigurationException(orphan, $"{orphan} needs proxyHost. Add proxyHost or remove {orphan}.");
            }
        }

        if (Has("proxyUsername") != Has("proxyPassword"))
        {
            throw new MongoConfigurationException("proxyUsername", "proxyUsername and proxyPassword must be given together.");
        }

        var explicitPrimary = options.GetValueOrDefault("readPreference") is null or "primary";
        if (explicitPrimary)
        {
            if (options.GetValueOrDefault("readPreferenceTags") is List<IReadOnlyDictionary<string, string>> tags && tags.Any(t => t.Count > 0))
            {
                throw new MongoConfigurationException("readPreferenceTags", "readPreferenceTags cannot be used with readPreference=primary. Choose another mode or remove the tags.");
            }

            if (options.GetValueOrDefault("maxStalenessSeconds") is int staleness && staleness > 0)
            {
                throw new MongoConfigurationException("maxStalenessSeconds", "maxStalenessSeconds cannot be used with readPreference=primary. Choose another mode or remove it.");
            }
        }

        if (options.GetValueOrDefault("maxPoolSize") is int maxPool && maxPool > 0
            && options.GetValueOrDefault("minPoolSize") is int minPool && minPool > maxPool)
        {
            throw new MongoConfigurationException("minPoolSize", $"minPoolSize ({minPool.ToString(CultureInfo.InvariantCulture)}) exceeds maxPoolSize ({maxPool.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    private static void Conflict(bool first, string firstName, bool second, string secondName)
    {
        if (first && second)
        {
            throw new MongoConfigurationException(secondName, $"{firstName} and {secondName} cannot be combined. Remove one of them.");
        }
    }

    private MongoReadPreference BuildReadPreference()
    {
        var mode = Get<string>("readPreference") switch
        {
            "primaryPreferred" => ReadPreferenceMode.PrimaryPreferred,
            "secondary" => ReadPreferenceMode.Secondary,
            "secondaryPreferred" => ReadPreferenceMode.SecondaryPreferred,
            "nearest" => ReadPreferenceMode.Nearest,
            _ => ReadPreferenceMode.Primary,
        };
        var tags = Get<List<IReadOnlyDictionary<string, string>>>("readPreferenceTags") ?? [];
        var seconds = GetValue<int>("maxStalenessSeconds");
        return new MongoReadPreference(mode, tags, seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : null);
    }

    private T? Get<T>(string name)
        where T : class => _options.GetValueOrDefault(name) as T;

    private T? GetValue<T>(string name)
        where T : struct => _options.TryGetValue(name, out var value) ? (T)value : null;

    private TimeSpan? Milliseconds(string name) =>
        GetValue<int>(name) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
