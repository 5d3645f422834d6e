using System.Globalization;

namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// The options of the URI Options spec: canonical name, value type and valid range. Invalid values are warned
/// about and ignored (as the spec requires); contradictions between options are errors.
/// </summary>
internal static class UriOptionTable
{
    internal enum Kind
    {
        String,
        NonEmptyString,
        Bool,
        Int,
        WriteConcern,
        Compressors,
        Tags,
        Properties,
        Choice,
    }

    internal sealed record Option(string Name, Kind Kind, int Min = int.MinValue, int Max = int.MaxValue, string[]? Choices = null, bool Secret = false);

    private static readonly Option[] s_options =
    [
        new("appName", Kind.String),
        new("authMechanism", Kind.Choice, Choices: ["SCRAM-SHA-1", "SCRAM-SHA-256", "MONGODB-X509", "GSSAPI", "PLAIN", "MONGODB-AWS", "MONGODB-OIDC", "MONGODB-CR"]),
        new("authMechanismProperties", Kind.Properties),
        new("authSource", Kind.String),
        new("compressors", Kind.Compressors),
        new("connectTimeoutMS", Kind.Int, Min: 0),
        new("directConnection", Kind.Bool),
        new("enableOverloadRetargeting", Kind.Bool),
        new("heartbeatFrequencyMS", Kind.Int, Min: 500),
        new("journal", Kind.Bool),
        new("loadBalanced", Kind.Bool),
        new("localThresholdMS", Kind.Int, Min: 0),
        new("maxAdaptiveRetries", Kind.Int, Min: 0),
        new("maxConnecting", Kind.Int, Min: 1),
        new("maxIdleTimeMS", Kind.Int, Min: 0),
        new("maxPoolSize", Kind.Int, Min: 0),
        new("maxStalenessSeconds", Kind.Int, Min: -1),
        new("minPoolSize", Kind.Int, Min: 0),
        new("proxyHost", Kind.NonEmptyString),
        new("proxyPassword", Kind.String, Secret: true),
        new("proxyPort", Kind.Int, Min: 0, Max: 65535),
        new("proxyUsername", Kind.NonEmptyString),
        new("readConcernLevel", Kind.String),
        new("readPreference", Kind.Choice, Choices: ["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"]),
        new("readPreferenceTags", Kind.Tags),
        new("replicaSet", Kind.NonEmptyString),
        new("retryReads", Kind.Bool),
        new("retryWrites", Kind.Bool),
        new("serverMonitoringMode", Kind.Choice, Choices: ["auto", "stream", "poll"]),
        new("serverSelectionTimeoutMS", Kind.Int, Min: 0),
        new("serverSelectionTryOnce", Kind.Bool),
        new("socketTimeoutMS", Kind.Int, Min: 0),
        new("srvMaxHosts", Kind.Int, Min: 0),
        new("srvServiceName", Kind.NonEmptyString),
        new("ssl", Kind.Bool),
        new("timeoutMS", Kind.Int, Min: 0),
        new("tls", Kind.Bool),
        new("tlsAllowInvalidCertificates", Kind.Bool),
        new("tlsAllowInvalidHostnames", Kind.Bool),
        new("tlsCAFile", Kind.NonEmptyString),
        new("tlsCertificateKeyFile", Kind.NonEmptyString),
        new("tlsCertificateKeyFilePassword", Kind.String, Secret: true),
        new("tlsDisableCertificateRevocationCheck", Kind.Bool),
        new("tlsDisableOCSPEndpointCheck", Kind.Bool),
        new("tlsInsecure", Kind.Bool),
        new("w", Kind.WriteConcern),
        new("waitQueueTimeoutMS", Kind.Int, Min: 0),
        new("wTimeoutMS", Kind.Int, Min: 0),
        new("zlibCompressionLevel", Kind.Int, Min: -1, Max: 9),
    ];

    /// <summary>Deprecated spellings and the option that replaces them.</summary>
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wtimeout"] = "wTimeoutMS",
        ["j"] = "journal",
        ["slaveOk"] = "readPreference",
        ["gssapiServiceName"] = "authMechanismProperties",
    };

    private static readonly Dictionary<string, Option> s_byName = s_options.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly string[] s_knownCompressors = ["snappy", "zlib", "zstd"];

    public static Option? Find(string name) => s_byName.GetValueOrDefault(name);

    public static string? AliasTarget(string name) => s_aliases.GetValueOrDefault(name);

    public static bool IsSecret(string name) => s_byName.TryGetValue(name, out var option) && option.Secret;

    /// <summary>Parses one decoded value; returns <see langword="null"/> and a warning when it is invalid.</summary>
    public static object? ParseValue(Option option, string value, List<string> warnings)
    {
        switch (option.Kind)
        {
            case Kind.String:
                return value;
            case Kind.NonEmptyString:
                return value.Length > 0 ? value : Invalid(option, value, "a non-empty string", warnings);
            case Kind.Bool:
                return value.ToUpperInvariant() switch
                {
                    "TRUE" => true,
                    "FALSE" => false,
                    _ => Invalid(option, value, "'true' or 'false'", warnings),
                };
            case Kind.Int:
                if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                    && number >= option.Min && number <= option.Max)
                {
                    return number;
                }

                var range = option.Max == int.MaxValue
                    ? $"an integer >= {option.Min.ToString(CultureInfo.InvariantCulture)}"
                    : $"an integer from {option.Min.ToString(CultureInfo.InvariantCulture)} to {option.Max.ToString(CultureInfo.InvariantCulture)}";
                return Invalid(option, value, range, warnings);
            case Kind.WriteConcern:
                if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var w))
                {
                    return w >= 0 ? w : Invalid(option, value, "a non-negative integer or a tag name such as 'majority'", warnings);
                }

                return value.Length > 0 ? value : Invalid(option, value, "a non-negative integer or a tag name such as 'majority'", warnings);
            case Kind.Compressors:
                var compressors = new List<string>();
                foreach (var name in value.Split(','))
                {
                    var known = s_knownCompressors.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
                    if (known is null)
                    {
                        warnings.Add($"Unsupported compressor '{name}' in 'compressors' was ignored (known: snappy, zlib, zstd).");
                    }
                    else
                    {
                        compressors.Add(known);
                    }
                }

                return compressors;
            case Kind.Tags:
                return ParseTagSet(value) ?? Invalid(option, value, "comma-separated 'name:value' pairs (or empty for 'any')", warnings);
            case Kind.Properties:
                return ParseProperties(value, warnings);
            case Kind.Choice:
                var choice = option.Choices!.FirstOrDefault(c => c.Equals(value, StringComparison.OrdinalIgnoreCase));
                if (choice is null && option.Name == "authMechanism")
                {
                    throw new MongoConfigurationException(option.Name, $"authMechanism '{value}' is not a known mechanism. Use one of: {string.Join(", ", option.Choices!)}.");
                }

                return choice ?? Invalid(option, value, "one of: " + string.Join(", ", option.Choices!), warnings);
            default:
                throw new InvalidOperationException($"Unhandled option kind {option.Kind}.");
        }
    }

    private static object? Invalid(Option option, string value, string expected, List<string> warnings)
    {
        var shown = option.Secret ? "(redacted)" : $"'{value}'";
        warnings.Add($"Option '{option.Name}' has invalid value {shown} and was ignored; expected {expected}.");
        return null;
    }

    private static Dictionary<string, string>? ParseTagSet(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.Length == 0)
        {
            return tags;
        }

        foreach (var pair in value.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            tags[pair[..colon]] = pair[(colon + 1)..];
        }

        return tags;
    }

    private static Dictionary<string, string> ParseProperties(string value, List<string> warnings)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in value.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                warnings.Add("An authMechanismProperties entry is not 'NAME:value' and was ignored; write entries as NAME:value separated by ','.");
                continue;
            }

            properties[pair[..colon]] = pair[(colon + 1)..];
        }

        return properties;
    }
}
