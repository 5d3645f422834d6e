using System.CommandLine;
using System.Globalization;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Cli.Commands;

/// <summary>
/// Where backups live and which set they come from, from the command line or (in a container) the environment:
/// <c>OTTKIT_BACKUP_BUCKET</c>, <c>OTTKIT_BACKUP_PREFIX</c>, <c>OTTKIT_BACKUP_KMS_KEY_ID</c>, <c>OTTKIT_MONGO_URI</c>,
/// <c>OTTKIT_BACKUP_RETENTION_DAYS</c>. An option given on the command line wins over the variable.
/// </summary>
internal sealed record BackupSettings(string Bucket, string Prefix, string? KmsKeyId, string? Uri, int RetentionDays)
{
    /// <summary>The bucket's region: <c>--region</c>, else <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's region.</summary>
    public string? Region { get; init; }

    /// <summary>How to reach S3: credentials, profile and endpoint, from the command's environment.</summary>
    public AWSOptions Aws { get; init; } = new();

    public const string BucketVariable = "OTTKIT_BACKUP_BUCKET";
    public const string PrefixVariable = "OTTKIT_BACKUP_PREFIX";
    public const string KmsKeyVariable = "OTTKIT_BACKUP_KMS_KEY_ID";
    public const string UriVariable = "OTTKIT_MONGO_URI";
    public const string SecretArnVariable = "OTTKIT_MONGO_SECRET_ARN";
    public const string RetentionVariable = "OTTKIT_BACKUP_RETENTION_DAYS";
    public const int DefaultRetentionDays = 15;

    /// <summary>The options every backup command shares.</summary>
    internal sealed class Options
    {
        public Option<string?> Bucket { get; } = new("--bucket") { Description = $"S3 bucket of the backups (default: ${BucketVariable})." };

        public Option<string?> Prefix { get; } = new("--prefix") { Description = $"Key prefix of the backups (default: ${PrefixVariable}, else 'mongo')." };

        public Option<string?> KmsKeyId { get; } = new("--kms-key-id") { Description = $"KMS key for SSE-KMS (default: ${KmsKeyVariable}, else the bucket's default encryption)." };

        public Option<string?> Uri { get; } = new("--uri") { Description = $"mongodb:// connection string (default: ${UriVariable})." };

        public void AddTo(Command command, bool withUri, bool withKmsKey = false)
        {
            command.Add(Bucket);
            command.Add(Prefix);

            // Only a backup writes: the key means nothing to restore, list, prune or verify (S3 decrypts SSE-KMS reads itself).
            if (withKmsKey)
            {
                command.Add(KmsKeyId);
            }

            if (withUri)
            {
                command.Add(Uri);
            }
        }
    }

    /// <summary>Resolves the settings; returns null after reporting a usage error.</summary>
    public static BackupSettings? Resolve(CliContext context, ParseResult parse, Options options, bool needsUri, Func<string, string?> environment, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        var bucket = parse.GetValue(options.Bucket) ?? environment(BucketVariable);
        if (string.IsNullOrWhiteSpace(bucket))
        {
            _ = context.UserError($"no backup bucket: pass --bucket NAME or set {BucketVariable}.", "missing-bucket");
            exitCode = ExitCodes.UsageError;
            return null;
        }

        // In the scheduled task: the connection string plus the user and password ECS injects from the secret.
        // With TLS the CA certificate arrives as a PEM in OTTKIT_MONGO_TLS_CA and becomes a tlsCAFile on the task's tmpfs.
        string? uri;
        try
        {
            uri = parse.GetValue(options.Uri) ?? BackupTaskEnvironment.ConnectionUri(environment, Path.GetTempPath());
        }
        catch (FormatException e)
        {
            _ = context.UserError(e.Message, "bad-tls-ca");
            exitCode = ExitCodes.UsageError;
            return null;
        }

        if (needsUri && string.IsNullOrWhiteSpace(uri))
        {
            var hint = string.IsNullOrWhiteSpace(environment(SecretArnVariable))
                ? string.Empty
                : $" {SecretArnVariable} is set, but the secret is not read here: inject it into {UriVariable} with the ECS task definition's 'secrets' (valueFrom: the ARN).";
            _ = context.UserError($"no MongoDB connection string: pass --uri or set {UriVariable}.{hint}", "missing-uri");
            exitCode = ExitCodes.UsageError;
            return null;
        }

        var retention = DefaultRetentionDays;
        if (environment(RetentionVariable) is { Length: > 0 } days && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out retention) || retention < 1))
        {
            _ = context.UserError($"{RetentionVariable} must be a whole number of days (1 or more), such as 15; got '{days}'.", "bad-retention");
            exitCode = ExitCodes.UsageError;
            return null;
        }

        // Where S3 is: resolved here from the command's environment, so that a missing region is one clear message
        // instead of the SDK's search through instance metadata.
        var profile = parse.GetValue(OttKitCommandLine.ProfileOption) ?? environment("AWS_PROFILE");
        var profilesLocation = environment("AWS_SHARED_CREDENTIALS_FILE");
        var chain = new CredentialProfileStoreChain(profilesLocation);
        CredentialProfile? found = null;
        if (profile is not null && environment("AWS_ACCESS_KEY_ID") is null && !chain.TryGetProfile(profile, out found))
        {
            exitCode = context.Fail(new CliFailure(FailureKind.UserMistake, "unknown-profile",
                $"AWS profile '{profile}' was not found in the shared config or credentials files. Create it with 'aws configure --profile {profile}' (or 'aws configure sso'), or pass another --profile."));
            return null;
        }

        var region = parse.GetValue(OttKitCommandLine.RegionOption) ?? environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION") ?? found?.Region?.SystemName;
        if (string.IsNullOrWhiteSpace(region))
        {
            exitCode = context.Fail(new CliFailure(FailureKind.Environment, "no-region",
                "no AWS region for the backup bucket. Pass --region REGION (the bucket's region, for example --region ap-south-1), or set AWS_REGION (ECS sets it in the backup task)."));
            return null;
        }

        if (AwsConnection.RegionProblem(region, region) is { } problem)
        {
            exitCode = context.Fail(new CliFailure(FailureKind.UserMistake, "bad-region", problem));
            return null;
        }

        var key = environment("AWS_ACCESS_KEY_ID");
        var secret = environment("AWS_SECRET_ACCESS_KEY");
        AWSCredentials? credentials = key is null || secret is null ? null
            : environment("AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(key, secret, token) : new BasicAWSCredentials(key, secret);
        var prefix = parse.GetValue(options.Prefix) ?? environment(PrefixVariable);
        return new BackupSettings(bucket, string.IsNullOrWhiteSpace(prefix) ? "mongo" : prefix.Trim('/'), parse.GetValue(options.KmsKeyId) ?? environment(KmsKeyVariable), uri, retention)
        {
            Region = region,
            Aws = AwsConnection.Options(
                region, credentials, credentials is null ? profile : null, profilesLocation, environment("AWS_ENDPOINT_URL_S3") ?? environment("AWS_ENDPOINT_URL")),
        };
    }

    /// <summary>Parses the connection string; returns null after reporting a usage error.</summary>
    public MongoConnectionString? ParseUri(CliContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        try
        {
            var parsed = MongoConnectionString.Parse(Uri ?? string.Empty);
            parsed.EnsureSeedListIsExplicit();
            return parsed;
        }
        catch (MongoConfigurationException ex)
        {
            exitCode = context.UserError($"the MongoDB connection string is not usable: {ex.Message}", "bad-uri");
            exitCode = ExitCodes.UsageError;
            return null;
        }
    }

    /// <summary>The production store: S3 through AWSSDK.S3 with the backup key.</summary>
    public static IBackupObjectStore CreateS3Store(BackupSettings settings) =>
        new S3BackupObjectStore(new AwsClientFactory(settings.Aws).CreateS3(), settings.Bucket, new S3BackupObjectStoreOptions { KmsKeyId = settings.KmsKeyId });

    /// <summary>Reports a failed backup operation (exit 1) with its stable code.</summary>
    public static int Failed(CliContext context, MongoBackupException ex)
    {
        _ = context.UserError(ex.Message, ex.Code);
        return ExitCodes.Failure;
    }

    /// <summary>Renders progress as plain lines (text mode only).</summary>
    public static IProgress<BackupProgress> ProgressLines(CliContext context) => new SynchronousProgress(p =>
        context.Line(string.Create(CultureInfo.InvariantCulture, $"[{p.Stage}] {p.Message} ({p.NamespacesDone}/{p.NamespacesTotal} namespaces, {p.Documents} documents, {p.Bytes / 1048576.0:0.0} MiB)")));

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<BackupProgress> report) : IProgress<BackupProgress>
    {
        private readonly Lock _gate = new();

        public void Report(BackupProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
