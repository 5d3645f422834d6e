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
/// <remarks>
/// The image runs one of two modes, named by its first argument: <see cref="BackupMode"/> (the default) or
/// <see cref="HealthMode"/>. Each mode's settings are declared here (<see cref="Settings(string)"/>), by the code that
/// reads them, and the blueprint generates each task definition's <c>Environment</c> and <c>secrets</c> from that
/// declaration; <see cref="Reader(string, Func{string, string?})"/> refuses to read a setting its mode did not declare.
/// </remarks>
public static class BackupTaskEnvironment
{
    /// <summary>The mode that backs up, prunes and publishes the backup age (also what runs without an argument).</summary>
    public const string BackupMode = "backup";

    /// <summary>The mode that checks the replica set once and publishes its health metrics (<c>ottkit mongo health --publish-metrics</c>).</summary>
    public const string HealthMode = "health";

    /// <summary>
    /// The mode that installs patches on the MongoDB members one at a time, secondaries first and the primary after a
    /// step-down (<c>ottkit patch install --target database</c>), as the admin user: the scheduled patch task.
    /// </summary>
    public const string PatchMode = "patch";

    /// <summary>The backup bucket's name.</summary>
    public const string BucketVariable = "OTTKIT_BACKUP_BUCKET";

    /// <summary>The KMS key for SSE-KMS (default: the bucket's default encryption).</summary>
    public const string KmsKeyIdVariable = "OTTKIT_BACKUP_KMS_KEY_ID";

    /// <summary>The key prefix of the backups (default <c>mongo</c>).</summary>
    public const string PrefixVariable = "OTTKIT_BACKUP_PREFIX";

    /// <summary>Days a complete backup is kept (default 15).</summary>
    public const string RetentionDaysVariable = "OTTKIT_BACKUP_RETENTION_DAYS";

    /// <summary>Complete backups always kept, whatever their age (default 3).</summary>
    public const string MinimumKeptVariable = "OTTKIT_BACKUP_MIN_KEEP";

    /// <summary>The health check's timeout in seconds (default 10).</summary>
    public const string HealthTimeoutVariable = "OTTKIT_HEALTH_TIMEOUT_SECONDS";

    /// <summary>The settings of <see cref="BackupMode"/>, in the order the task definition lists them.</summary>
    public static IReadOnlyList<BackupTaskSetting> BackupSettings { get; } =
    [
        new(BucketVariable, BackupTaskValue.BucketName),
        new(KmsKeyIdVariable, BackupTaskValue.BackupKeyArn),
        new(PrefixVariable, BackupTaskValue.Prefix),
        new(RetentionDaysVariable, BackupTaskValue.RetentionDays),
        new(ConnectionStringVariable, BackupTaskValue.ConnectionString),
        new(EnvironmentVariable, BackupTaskValue.EnvironmentName),
        new(UsernameVariable, BackupTaskValue.Username),
        new(PasswordVariable, BackupTaskValue.Password),
        new(TlsCaVariable, BackupTaskValue.TlsCa),
        new(UriVariable, null),
        new(MinimumKeptVariable, null),
    ];

    /// <summary>The settings of <see cref="HealthMode"/>, in the order the task definition lists them.</summary>
    public static IReadOnlyList<BackupTaskSetting> HealthSettings { get; } =
    [
        new(ConnectionStringVariable, BackupTaskValue.ConnectionString),
        new(EnvironmentVariable, BackupTaskValue.EnvironmentName),
        new(UsernameVariable, BackupTaskValue.Username),
        new(PasswordVariable, BackupTaskValue.Password),
        new(TlsCaVariable, BackupTaskValue.TlsCa),
        new(UriVariable, null),
        new(HealthTimeoutVariable, null),
    ];

    /// <summary>The settings of <see cref="PatchMode"/>: the admin user (<c>replSetStepDown</c> needs <c>clusterManager</c>), in the order the task definition lists them.</summary>
    public static IReadOnlyList<BackupTaskSetting> PatchSettings { get; } =
    [
        new(ConnectionStringVariable, BackupTaskValue.ConnectionString),
        new(EnvironmentVariable, BackupTaskValue.EnvironmentName),
        new(UsernameVariable, BackupTaskValue.AdminUsername),
        new(PasswordVariable, BackupTaskValue.AdminPassword),
        new(TlsCaVariable, BackupTaskValue.TlsCa),
        new(UriVariable, null),
    ];

    /// <summary>The settings <paramref name="mode"/> reads.</summary>
    /// <param name="mode"><see cref="BackupMode"/> or <see cref="HealthMode"/>.</param>
    /// <returns>The declaration.</returns>
    /// <exception cref="ArgumentException">The mode is neither.</exception>
    public static IReadOnlyList<BackupTaskSetting> Settings(string mode) => mode switch
    {
        BackupMode => BackupSettings,
        HealthMode => HealthSettings,
        PatchMode => PatchSettings,
        _ => throw new ArgumentException($"unknown mode '{mode}': use '{BackupMode}' (the default), '{HealthMode}' or '{PatchMode}'.", nameof(mode)),
    };

    /// <summary>
    /// Reads the variables <paramref name="mode"/> declares through <paramref name="environment"/>; reading any other
    /// variable throws, so a setting cannot be read without being declared (and so provided by the blueprint).
    /// </summary>
    /// <param name="mode"><see cref="BackupMode"/> or <see cref="HealthMode"/>.</param>
    /// <param name="environment">Reads a variable.</param>
    /// <returns>A reader of the declared variables; empty counts as unset.</returns>
    /// <exception cref="ArgumentException">The mode is unknown.</exception>
    public static Func<string, string?> Reader(string mode, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var declared = Settings(mode).Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);
        return name => declared.Contains(name)
            ? environment(name) is { Length: > 0 } value ? value : null
            : throw new InvalidOperationException($"the {mode} mode reads {name} but does not declare it in BackupTaskEnvironment.Settings(\"{mode}\"); declare it so the blueprint provides it.");
    }

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

/// <summary>What the blueprint puts into a setting of the backup image.</summary>
public enum BackupTaskValue
{
    /// <summary>The database stack's connection string, without credentials.</summary>
    ConnectionString,

    /// <summary>The backup user's name, injected by ECS from the user secret's <c>username</c> key.</summary>
    Username,

    /// <summary>The backup user's password, injected by ECS from the user secret's <c>password</c> key.</summary>
    Password,

    /// <summary>With TLS, the replica set's CA certificate, injected by ECS from the user secret's <c>ca</c> key (absent without TLS).</summary>
    TlsCa,

    /// <summary>The environment's name (the <c>Environment</c> dimension of every metric the image publishes).</summary>
    EnvironmentName,

    /// <summary>The backup bucket's name.</summary>
    BucketName,

    /// <summary>The backup KMS key's ARN.</summary>
    BackupKeyArn,

    /// <summary>The spec's <c>backups.prefix</c>.</summary>
    Prefix,

    /// <summary>The spec's <c>backups.retentionDays</c>.</summary>
    RetentionDays,

    /// <summary>The admin user's name, injected by ECS from the admin secret's <c>username</c> key.</summary>
    AdminUsername,

    /// <summary>The admin user's password, injected by ECS from the admin secret's <c>password</c> key.</summary>
    AdminPassword,
}

/// <summary>One environment variable a mode of the backup image reads.</summary>
/// <param name="Variable">The variable's name.</param>
/// <param name="Value">What the blueprint provides; <see langword="null"/> for an override an operator may set, which the blueprint leaves unset.</param>
public sealed record BackupTaskSetting(string Variable, BackupTaskValue? Value)
{
    /// <summary>Whether ECS injects the value from the user secret (the task definition's <c>secrets</c>) rather than <c>Environment</c>.</summary>
    public bool IsSecret => Value is BackupTaskValue.Username or BackupTaskValue.Password or BackupTaskValue.TlsCa or BackupTaskValue.AdminUsername or BackupTaskValue.AdminPassword;
}
