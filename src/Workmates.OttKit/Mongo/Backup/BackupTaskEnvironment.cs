namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// The environment the scheduled backup task (and <c>ottkit mongo backup</c> in a container) reads its MongoDB
/// connection from, as the blueprint's task definition provides it: the connection string without credentials in
/// <see cref="ConnectionStringVariable"/>, and the backup user's name and password injected by ECS from the
/// <c>{username,password}</c> secret into <see cref="UsernameVariable"/> and <see cref="PasswordVariable"/>. A complete
/// URI in <see cref="UriVariable"/> wins over the parts. With TLS the CA certificate (a PEM) arrives in
/// <see cref="TlsCaVariable"/>; <see cref="ConnectionUri(Func{string, string?}, string)"/> writes it to a file and adds
/// <c>tlsCAFile</c> to the URI.
/// </summary>
public static class BackupTaskEnvironment
{
    /// <summary>A complete <c>mongodb://</c> URI, credentials included.</summary>
    public const string UriVariable = "OTTKIT_MONGO_URI";

    /// <summary>The connection string without credentials (the database stack's <c>ConnectionString</c> output).</summary>
    public const string ConnectionStringVariable = "OTTKIT_MONGO_CONNECTION_STRING";

    /// <summary>The backup user's name (ECS <c>secrets</c>: the secret's <c>username</c> key).</summary>
    public const string UsernameVariable = "OTTKIT_MONGO_USERNAME";

    /// <summary>The backup user's password (ECS <c>secrets</c>: the secret's <c>password</c> key).</summary>
    public const string PasswordVariable = "OTTKIT_MONGO_PASSWORD";

    /// <summary>The PEM certificate of the replica set's private CA (ECS <c>secrets</c>: the database stack's <c>TlsCaSecretArn</c>).</summary>
    public const string TlsCaVariable = "OTTKIT_MONGO_TLS_CA";

    /// <summary>The Environment dimension of the backup-age metric.</summary>
    public const string EnvironmentVariable = "OTTKIT_ENVIRONMENT";

    /// <summary>
    /// The connection URI: <see cref="UriVariable"/> when set; else the connection string with the user and password
    /// (percent-encoded) inserted; else <see langword="null"/>.
    /// </summary>
    /// <param name="environment">Reads a variable; empty counts as unset.</param>
    /// <returns>The URI, or null when neither form is complete.</returns>
    public static string? ConnectionUri(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Read(string name) => environment(name) is { Length: > 0 } value ? value : null;
        if (Read(UriVariable) is { } uri)
        {
            return uri;
        }

        const string Scheme = "mongodb://";
        if (Read(ConnectionStringVariable) is not { } connection || Read(UsernameVariable) is not { } user || Read(PasswordVariable) is not { } password
            || !connection.StartsWith(Scheme, StringComparison.Ordinal) || connection.AsSpan(Scheme.Length).IndexOf('@') >= 0)
        {
            return null;
        }

        return $"{Scheme}{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{connection[Scheme.Length..]}";
    }

    /// <summary>
    /// The connection URI as <see cref="ConnectionUri(Func{string, string?})"/> builds it and, when
    /// <see cref="TlsCaVariable"/> holds a PEM, that PEM written to a file in <paramref name="directory"/> (named by
    /// its SHA-256, so repeated runs reuse it) and referenced with <c>tlsCAFile</c> (a <c>tlsCAFile</c> already in the
    /// URI wins).
    /// </summary>
    /// <param name="environment">Reads a variable; empty counts as unset.</param>
    /// <param name="directory">A writable directory for the CA file, e.g. <see cref="Path.GetTempPath"/> (the task's tmpfs).</param>
    /// <returns>The URI, or null when neither form is complete.</returns>
    /// <exception cref="FormatException"><see cref="TlsCaVariable"/> is set but holds no PEM certificate.</exception>
    public static string? ConnectionUri(Func<string, string?> environment, string directory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var uri = ConnectionUri(environment);
        if (uri is null || environment(TlsCaVariable) is not { Length: > 0 } pem
            || uri.Contains("tlsCAFile=", StringComparison.OrdinalIgnoreCase))
        {
            return uri;
        }

        if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new FormatException($"{TlsCaVariable} holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----'); the database stack's TlsCaSecretArn secret may not be issued yet.");
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pem)));
        var path = Path.Combine(directory, $"ottkit-mongo-ca-{hash[..16]}.pem");
        if (!File.Exists(path))
        {
            var temporary = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
            File.WriteAllText(temporary, pem);
            File.Move(temporary, path, overwrite: true);
        }

        var hosts = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var separator = uri.Contains('?', StringComparison.Ordinal) ? "&" : uri.IndexOf('/', hosts) >= 0 ? "?" : "/?";
        return $"{uri}{separator}tlsCAFile={Uri.EscapeDataString(path)}";
    }
}
