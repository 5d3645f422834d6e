using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The simulators of one rehearsal of the database-backup stack's scheduled tasks (the backup and the health check),
/// seeded from the synthesized stacks: Secrets Manager with the database stack's user secret under the data key and its
/// key policy, the replica-set simulator over TLS with that user, CloudWatch and ECS, IAM enforced with the execution
/// role and each task role as principals.
/// </summary>
internal sealed class DatabaseTaskBed : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    public const string Account = "123456789012";

    public static readonly SimulatorCredentials ExecutionKey = new("AKIAREHEARSALBACKEXE", "rehearsal/backup/execution/EXAMPLEKEY");

    public static readonly SimulatorCredentials TaskKey = new("AKIAREHEARSALBACKTSK", "rehearsal/backup/task/EXAMPLEKEY");

    public static readonly SimulatorCredentials HealthKey = new("AKIAREHEARSALHEALTSK", "rehearsal/health/task/EXAMPLEKEY");

    public static readonly SimulatorCredentials ReaderKey = new("AKIAREHEARSALREADER1", "rehearsal/reader/EXAMPLEKEY");

    private X509Certificate2? _memberCertificate;

    private DatabaseTaskBed(EnvironmentSpec spec, IamAuthority iam, SecretsManagerSimulator secrets, EcsSimulator ecs, CloudWatchSimulator cloudWatch, ReplicaSetSimulator mongo)
    {
        Spec = spec;
        Iam = iam;
        SecretsManager = secrets;
        Ecs = ecs;
        CloudWatch = cloudWatch;
        Mongo = mongo;
    }

    public EnvironmentSpec Spec { get; }

    public IamAuthority Iam { get; }

    public SecretsManagerSimulator SecretsManager { get; }

    public EcsSimulator Ecs { get; }

    public CloudWatchSimulator CloudWatch { get; }

    public ReplicaSetSimulator Mongo { get; }

    /// <summary>The backup task's container definition, resolved.</summary>
    public JsonObject Container { get; private set; } = [];

    /// <summary>The health task's container definition, resolved.</summary>
    public JsonObject HealthContainer { get; private set; } = [];

    public SimulatedSecret BackupSecret { get; private set; } = null!;

    private S3BucketAccess? Bucket { get; set; }

    /// <summary>s3rver behind the S3 IAM front: the backup bucket's synthesized policy, its SSE-KMS key (the backup key) and that key's policy.</summary>
    public Task<S3IamProxy> StartS3FrontAsync(Uri s3rverEndpoint) => S3IamProxy.StartAsync(
        new S3IamProxyOptions { Upstream = s3rverEndpoint, Iam = Iam, Region = Spec.Region, AccountId = Account, Buckets = [Bucket!] },
        TestContext.Current.CancellationToken);

    public string DataKeyArn => KeyArn("data");

    public string ExecutionPrincipal => $"arn:aws:sts::{Account}:assumed-role/{Spec.Name}-database-backup-BackupExecutionRole-REHEARSAL/ecs-agent";

    public string TaskPrincipal => $"arn:aws:sts::{Account}:assumed-role/{Spec.Name}-database-backup-BackupTaskRole-REHEARSAL/backup-task";

    public string HealthTaskPrincipal => $"arn:aws:sts::{Account}:assumed-role/{Spec.Name}-database-backup-HealthTaskRole-REHEARSAL/health-task";

    private string KeyArn(string name) => $"arn:aws:kms:{Spec.Region}:{Account}:key/{name}-0000-4000-8000-rehearsal0001";

    public static async Task<DatabaseTaskBed> StartAsync(EnvironmentSpec spec, string bucket)
    {
        var ct = TestContext.Current.CancellationToken;
        var set = spec.Synthesize();
        var ctx = new PlatformNaming(spec.Name, spec.Tags);
        var iam = new IamAuthority();
        var options = new AwsSimulatorOptions
        {
            Clock = new VirtualClock(),
            Region = spec.Region,
            AccountId = Account,
            Credentials = [ExecutionKey, TaskKey, HealthKey, ReaderKey],
            Iam = iam,
        };
        var secrets = await SecretsManagerSimulator.StartAsync(options, ct);
        var ecs = await EcsSimulator.StartAsync(options, cancellationToken: ct);
        var cloudWatch = await CloudWatchSimulator.StartAsync(ecs, cancellationToken: ct);
        var database = spec.Database!;
        var mongo = ReplicaSetSimulator.Start(database.Members, database.ReplicaSetName);
        var bed = new DatabaseTaskBed(spec, iam, secrets, ecs, cloudWatch, mongo);

        // The members require TLS with certificates from the environment's own CA (docs/mongo-tls.md): the first
        // member's bootstrap issues them and adds the CA as the `ca` key of the user secrets.
        using var authority = TestCertificateAuthority.Create($"{spec.Name} MongoDB CA");
        bed._memberCertificate = authority.IssueServerCertificate("localhost", "127.0.0.1");
        mongo.TlsCertificate = bed._memberCertificate;

        // The database stack's secret, as CloudFormation generates it, under the data key of the security stack.
        var imports = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ctx.ExportName(PlatformNaming.SecurityPart, "DataKeyArn")] = bed.KeyArn("data"),
            [ctx.ExportName(PlatformNaming.SecurityPart, "BackupKeyArn")] = bed.KeyArn("backup"),
            [ctx.ExportName(PlatformNaming.SecurityPart, "LogsKeyArn")] = bed.KeyArn("logs"),
            [ctx.ExportName(PlatformNaming.BackupsPart, "BackupBucketArn")] = $"arn:aws:s3:::{bucket}",
            [ctx.ExportName(PlatformNaming.BackupsPart, "BackupBucketName")] = bucket,
        };
        var databaseStack = $"{spec.Name}-{PlatformNaming.DatabasePart}";
        var secretProperties = new SynthesizedPolicies(set, Account, imports)
            .Resolve(databaseStack, set[databaseStack].Template.Resources["BackupSecret"].Properties);
        var generate = secretProperties["GenerateSecretString"]!;
        var generated = JsonNode.Parse(SecretsManagerSimulator.Generated(
                generate["SecretStringTemplate"]!.GetValue<string>(), generate["GenerateStringKey"]!.GetValue<string>(), generate["PasswordLength"]!.GetValue<int>(), spec.Name))!.AsObject();
        generated["ca"] = authority.CertificatePem;
        bed.BackupSecret = secrets.CreateSecret(
            secretProperties["Name"]!.GetValue<string>(),
            generated.ToJsonString(),
            secretProperties["KmsKeyId"]!.GetValue<string>());
        var securityStack = $"{spec.Name}-{PlatformNaming.SecurityPart}";
        secrets.AddKey(bed.DataKeyArn, new SynthesizedPolicies(set, Account, imports).Resolve(securityStack, set[securityStack].Template.Resources["DataKey"].Properties["KeyPolicy"]));

        // The backup user exists in the set (the first member's user data creates it from the same secret).
        var value = JsonNode.Parse(bed.BackupSecret.SecretString)!;
        mongo.AddUser(value["username"]!.GetValue<string>(), value["password"]!.GetValue<string>());

        // The private hosted zone resolves the members' names to the simulator's loopback members, in order.
        var synthesized = DatabaseBuilder.ConnectionString(ctx, ConstructProps.Database(spec));
        var hosts = synthesized["mongodb://".Length..synthesized.IndexOf('/', "mongodb://".Length)];
        imports[ctx.ExportName(PlatformNaming.DatabasePart, "ConnectionString")] =
            synthesized.Replace(hosts, string.Join(',', mongo.Members.Select(m => m.Name)), StringComparison.Ordinal);
        imports[ctx.ExportName(PlatformNaming.DatabasePart, "BackupSecretArn")] = bed.BackupSecret.Arn;

        var backupsStack = $"{spec.Name}-{PlatformNaming.BackupsPart}";
        var bucketPolicy = new SynthesizedPolicies(set, Account, imports)
            .Resolve(backupsStack, set[backupsStack].Template.Resources["BackupBucketPolicy"].Properties["PolicyDocument"]).ToJsonString()
            .Replace("arn:aws:rehearsal:::BackupBucket.Arn", $"arn:aws:s3:::{bucket}", StringComparison.Ordinal);
        bed.Bucket = new S3BucketAccess(bucket)
        {
            Policy = JsonNode.Parse(bucketPolicy),
            KmsKeyArn = bed.KeyArn("backup"),
            KeyPolicy = new SynthesizedPolicies(set, Account, imports).Resolve(securityStack, set[securityStack].Template.Resources["BackupKey"].Properties["KeyPolicy"]),
            BucketKeyEnabled = true,
        };

        var backupStack = $"{spec.Name}-{PlatformNaming.DatabaseBackupPart}";
        var policies = new SynthesizedPolicies(set, Account, imports);
        var template = set[backupStack].Template;
        var definitions = (JsonArray)policies.Resolve(backupStack, template.Resources["BackupTaskDefinition"].Properties["ContainerDefinitions"]);
        bed.Container = Assert.Single(definitions)!.AsObject();
        iam.Add(new IamPrincipal(ExecutionKey.AccessKeyId, bed.ExecutionPrincipal, policies.Of(backupStack, "BackupExecutionRole")));
        iam.Add(new IamPrincipal(TaskKey.AccessKeyId, bed.TaskPrincipal, policies.Of(backupStack, "BackupTaskRole")));
        bed.HealthContainer = Assert.Single((JsonArray)policies.Resolve(backupStack, template.Resources["HealthTaskDefinition"].Properties["ContainerDefinitions"]))!.AsObject();
        iam.Add(new IamPrincipal(HealthKey.AccessKeyId, bed.HealthTaskPrincipal, policies.Of(backupStack, "HealthTaskRole")));
        return bed;
    }

    /// <summary>
    /// What the ECS agent gives the container: <c>Environment</c> as written, each of <c>secrets</c> read with the
    /// execution role (<c>valueFrom</c> = <c>&lt;secret ARN&gt;[:json-key[:version-stage[:version-id]]]</c>), and the region.
    /// </summary>
    public async Task<Dictionary<string, string>> EcsAgentEnvironmentAsync(JsonObject container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = Spec.Region,
            ["AWS_DEFAULT_REGION"] = Spec.Region,
            ["AWS_EXECUTION_ENV"] = "AWS_ECS_EC2",
        };
        foreach (var variable in container["Environment"]?.AsArray() ?? [])
        {
            environment[variable!["Name"]!.GetValue<string>()] = variable["Value"]!.GetValue<string>();
        }

        foreach (var secret in container["Secrets"]?.AsArray() ?? [])
        {
            var valueFrom = secret!["ValueFrom"]!.GetValue<string>();
            var parts = valueFrom.Split(':');
            Assert.True(parts.Length is 7 or 10 && parts[2] == "secretsmanager", $"valueFrom '{valueFrom}' is not a Secrets Manager ARN with an optional ':json-key:version-stage:version-id'");
            var arn = string.Join(':', parts[..7]);
            var (jsonKey, stage, version) = parts.Length == 10 ? (parts[7], parts[8], parts[9]) : (string.Empty, string.Empty, string.Empty);
            var answer = await GetSecretValueAsync(ExecutionKey, arn, stage, version);
            Assert.True(answer.Status == System.Net.HttpStatusCode.OK, $"ECS agent: GetSecretValue {arn}: {answer.Body.ToJsonString()}");
            var text = answer.Body["SecretString"]!.GetValue<string>();
            environment[secret["Name"]!.GetValue<string>()] = jsonKey.Length == 0
                ? text
                : JsonNode.Parse(text)?[jsonKey]?.GetValue<string>() ?? throw new InvalidOperationException($"ECS agent: the secret {arn} has no JSON key '{jsonKey}' (the task would not start: ResourceInitializationError)");
        }

        return environment;
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonObject Body)> GetSecretValueAsync(SimulatorCredentials credentials, string secretId, string stage = "", string version = "")
    {
        var input = new JsonObject { ["SecretId"] = secretId };
        if (stage.Length > 0)
        {
            input["VersionStage"] = stage;
        }

        if (version.Length > 0)
        {
            input["VersionId"] = version;
        }

        var body = Encoding.UTF8.GetBytes(input.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, SecretsManager.BaseUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
        SigV4.Sign(request, body, credentials, Spec.Region, "secretsmanager", DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>
    /// Runs the image's ENTRYPOINT (from the Dockerfile that builds it) followed by the container's <c>Command</c>, in
    /// the sample's build output, with exactly <paramref name="environment"/> plus the task role's credentials and the
    /// simulators' endpoints (what the container credentials provider and VPC endpoints would supply).
    /// </summary>
    public async Task<(int ExitCode, string Output, string Error)> RunEntrypointAsync(JsonObject container, Dictionary<string, string> environment, SimulatorCredentials taskRole, Uri? s3Endpoint = null)
    {
        var dockerfile = Path.Combine(RepositoryPaths.Root, "samples", "BackupTask", "Dockerfile");
        var entrypoint = File.ReadLines(dockerfile).Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        var arguments = JsonNode.Parse(entrypoint["ENTRYPOINT ".Length..])!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal("dotnet", arguments[0]);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var app = Path.Combine(RepositoryPaths.Root, "samples", "BackupTask", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(app, arguments[1])), $"{arguments[1]} is not built in {app}: build the solution (dotnet build Workmates.OttKit.sln -c {configuration})");

        arguments.AddRange(container["Command"]?.AsArray().Select(a => a!.GetValue<string>()) ?? []);
        var start = new ProcessStartInfo(DotnetHost(), arguments.Skip(1)) { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = taskRole.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = taskRole.SecretAccessKey;
        if (s3Endpoint is not null)
        {
            start.Environment["AWS_ENDPOINT_URL_S3"] = s3Endpoint.ToString();
        }

        start.Environment["AWS_ENDPOINT_URL_CLOUDWATCH"] = CloudWatch.BaseUrl.ToString();
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    // The host that runs these tests: <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll.
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Mongo.DisposeAsync();
        _memberCertificate?.Dispose();
        await CloudWatch.DisposeAsync();
        await Ecs.DisposeAsync();
        await SecretsManager.DisposeAsync();
    }
}
