namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// Who to authenticate as, where, and how. Built from a connection string; the password is kept internal and never
/// appears in <see cref="ToString"/>.
/// </summary>
public sealed class MongoCredential
{
    internal const string External = "$external";

    private static readonly string[] s_gssapiProperties = ["SERVICE_NAME", "CANONICALIZE_HOST_NAME", "SERVICE_REALM", "SERVICE_HOST"];
    private static readonly string[] s_canonicalizeValues = ["none", "forward", "forwardAndReverse", "true", "false"];
    private static readonly string[] s_oidcProperties = ["ENVIRONMENT", "TOKEN_RESOURCE"];
    private static readonly string[] s_oidcEnvironments = ["test", "azure", "gcp", "k8s"];

    internal MongoCredential(string? username, string? password, string source, string? mechanism, IReadOnlyDictionary<string, string> mechanismProperties)
    {
        Username = username;
        Password = password;
        Source = source;
        Mechanism = mechanism;
        MechanismProperties = mechanismProperties;
    }

    /// <summary>The user name (never SASLprepped); <see langword="null"/> for mechanisms that take it from elsewhere (X.509, AWS).</summary>
    public string? Username { get; }

    /// <summary>The authentication database (<c>$external</c> for external mechanisms).</summary>
    public string Source { get; }

    /// <summary>The mechanism; <see langword="null"/> means negotiate (SCRAM-SHA-256 when offered, else SCRAM-SHA-1).</summary>
    public string? Mechanism { get; }

    /// <summary>The <c>authMechanismProperties</c> (including defaults such as GSSAPI's <c>SERVICE_NAME</c>).</summary>
    public IReadOnlyDictionary<string, string> MechanismProperties { get; }

    /// <summary>Whether a password was given (the value itself is not exposed).</summary>
    public bool HasPassword => Password is not null;

    internal string? Password { get; }

    /// <summary>A description without the password.</summary>
    public override string ToString() =>
        $"{Mechanism ?? "default"} credential for '{Username}' on '{Source}'";

    /// <summary>Applies the Auth spec's rules to the parts of a connection string.</summary>
    internal static MongoCredential? FromConnectionString(
        string? username, string? password, string? database, string? authSource, string? mechanism,
        IReadOnlyDictionary<string, string>? properties)
    {
        if (authSource is { Length: 0 })
        {
            throw new MongoConfigurationException("authSource", "authSource is empty. Name the authentication database, e.g. authSource=admin.");
        }

        var props = new Dictionary<string, string>(properties ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        if (mechanism is null)
        {
            if (username is null)
            {
                return null;
            }

            return new MongoCredential(username, password, authSource ?? database ?? "admin", null, props);
        }

        switch (mechanism)
        {
            case "SCRAM-SHA-1" or "SCRAM-SHA-256" or "MONGODB-CR":
                RequireUsername(username, mechanism);
                if (password is null)
                {
                    throw new MongoConfigurationException("password", $"{mechanism} needs a password. Write 'user:password@host'.");
                }

                return new MongoCredential(username, password, authSource ?? database ?? "admin", mechanism, props);
            case "PLAIN":
                RequireUsername(username, mechanism);
                if (password is null)
                {
                    throw new MongoConfigurationException("password", "PLAIN needs a password. Write 'user:password@host'.");
                }

                return new MongoCredential(username, password, authSource ?? database ?? External, mechanism, props);
            case "GSSAPI":
                RequireUsername(username, mechanism);
                RequireExternal(authSource, mechanism);
                RequireKnownProperties(props, s_gssapiProperties, mechanism);
                if (props.TryGetValue("CANONICALIZE_HOST_NAME", out var canonicalize)
                    && !s_canonicalizeValues.Contains(canonicalize, StringComparer.OrdinalIgnoreCase))
                {
                    throw new MongoConfigurationException("authMechanismProperties", "CANONICALIZE_HOST_NAME must be one of: none, forward, forwardAndReverse.");
                }

                props.TryAdd("SERVICE_NAME", "mongodb");
                return new MongoCredential(username, password, External, mechanism, props);
            case "MONGODB-X509":
                RequireExternal(authSource, mechanism);
                if (password is not null)
                {
                    throw new MongoConfigurationException("password", "MONGODB-X509 takes no password; the client certificate authenticates. Remove the password.");
                }

                return new MongoCredential(username, null, External, mechanism, props);
            case "MONGODB-AWS":
                RequireExternal(authSource, mechanism);
                if ((username is null) != (password is null))
                {
                    throw new MongoConfigurationException("userinfo", "MONGODB-AWS needs both an access key id (user) and a secret key (password), or neither.");
                }

                return new MongoCredential(username, password, External, mechanism, props);
            case "MONGODB-OIDC":
                RequireExternal(authSource, mechanism);
                ValidateOidc(username, password, props);
                return new MongoCredential(username, null, External, mechanism, props);
            default:
                throw new MongoConfigurationException("authMechanism", $"authMechanism '{mechanism}' is not supported.");
        }
    }

    private static void ValidateOidc(string? username, string? password, Dictionary<string, string> props)
    {
        if (password is not null)
        {
            throw new MongoConfigurationException("password", "MONGODB-OIDC takes no password. Remove it from the connection string.");
        }

        RequireKnownProperties(props, s_oidcProperties, "MONGODB-OIDC");
        if (!props.TryGetValue("ENVIRONMENT", out var environment))
        {
            throw new MongoConfigurationException("authMechanismProperties", "MONGODB-OIDC needs authMechanismProperties=ENVIRONMENT:<test|azure|gcp|k8s> (or a callback set in code).");
        }

        if (!s_oidcEnvironments.Contains(environment, StringComparer.Ordinal))
        {
            throw new MongoConfigurationException("authMechanismProperties", $"MONGODB-OIDC ENVIRONMENT '{environment}' is unknown; use test, azure, gcp or k8s.");
        }

        var needsResource = environment is "azure" or "gcp";
        if (needsResource && !props.ContainsKey("TOKEN_RESOURCE"))
        {
            throw new MongoConfigurationException("authMechanismProperties", $"MONGODB-OIDC ENVIRONMENT:{environment} needs TOKEN_RESOURCE:<audience>.");
        }

        if (username is not null && environment != "azure")
        {
            throw new MongoConfigurationException("userinfo", $"MONGODB-OIDC ENVIRONMENT:{environment} takes no user name. Remove it.");
        }
    }

    private static void RequireUsername(string? username, string mechanism)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw new MongoConfigurationException("userinfo", $"{mechanism} needs a user name. Write 'user:password@host'.");
        }
    }

    private static void RequireExternal(string? authSource, string mechanism)
    {
        if (authSource is not null && authSource != External)
        {
            throw new MongoConfigurationException("authSource", $"{mechanism} authenticates against '$external'. Remove authSource or set authSource=$external.");
        }
    }

    private static void RequireKnownProperties(Dictionary<string, string> props, string[] known, string mechanism)
    {
        var unknown = props.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null)
        {
            throw new MongoConfigurationException("authMechanismProperties", $"'{unknown}' is not a property of {mechanism}. Known: {string.Join(", ", known)}.");
        }
    }
}
