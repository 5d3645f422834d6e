namespace Workmates.OttKit.Mongo.Backup;

/// <summary>
/// The environment the scheduled backup task (and <c>ottkit mongo backup</c> in a container) reads its MongoDB
/// connection from, as the blueprint's task definition provides it: the connection string without credentials in
/// <see cref="ConnectionStringVariable"/>, and the backup user's name and password injected by ECS from the
/// <c>{username,password}</c> secret into <see cref="UsernameVariable"/> and <see cref="PasswordVariable"/>. A complete
/// URI in <see cref="UriVariable"/> wins over the parts.
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
}
