using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;
using Workmates.OttKit.Tests.Mongo.Backup;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The scheduled database backup run exactly as its synthesized task definition describes it (issue 13): the
/// container's <c>Environment</c> and ECS <c>secrets</c> resolved the way the ECS agent resolves them (each
/// <c>valueFrom</c> <c>&lt;secret ARN&gt;:&lt;json-key&gt;::</c> read from the Secrets Manager simulator, seeded from the
/// database stack's <c>{username,password}</c> secret, signed as the task EXECUTION role, the secret's KMS key
/// decided by its synthesized key policy); then the image's entrypoint (the container names no command, so the
/// <c>ENTRYPOINT</c> of <c>samples/BackupTask/Dockerfile</c>, the image's build) run with exactly that environment and
/// the task ROLE's credentials against the replica-set simulator (seeded with that user) and s3rver, publishing its
/// backup-age metric to the CloudWatch simulator. Every AWS call the simulators authorize must be allowed and declared.
/// </summary>
public sealed class BackupTaskRehearsalTests(S3rverFixture s3rver) : IClassFixture<S3rverFixture>
{
    private const string Account = "123456789012";

    private static readonly SimulatorCredentials ExecutionKey = new("AKIAREHEARSALBACKEXE", "rehearsal/backup/execution/EXAMPLEKEY");

    private static readonly SimulatorCredentials TaskKey = new("AKIAREHEARSALBACKTSK", "rehearsal/backup/task/EXAMPLEKEY");

    private static readonly SimulatorCredentials ReaderKey = new("AKIAREHEARSALREADER1", "rehearsal/reader/EXAMPLEKEY");

    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task The_scheduled_backup_runs_as_its_task_definition_describes_it_with_no_denied_call(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var bucket = await s3rver.CreateBucketAsync(TestContext.Current.CancellationToken);
        await using var bed = await BackupBed.StartAsync(spec, bucket);
        await using var s3 = await bed.StartS3FrontAsync(s3rver.Require());
        BackupFixture.Seed(bed.Mongo);

        var container = bed.Container;
        Assert.Null(container["Command"]);
        Assert.Null(container["EntryPoint"]);
        var environment = await bed.EcsAgentEnvironmentAsync();
        var run = await bed.RunEntrypointAsync(environment, s3.Endpoint);

        TestContext.Current.TestOutputHelper?.WriteLine(run.Output + run.Error);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}\ndenied: {string.Join("\n", bed.Iam.Denied)}");
        Assert.Empty(bed.Iam.Denied);
        var calls = bed.Iam.Calls;
        var byExecution = calls.Where(c => c.Principal == bed.ExecutionPrincipal).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var byTask = calls.Where(c => c.Principal == bed.TaskPrincipal).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["kms:Decrypt", "secretsmanager:GetSecretValue"], byExecution.Order(StringComparer.Ordinal));
        var declared = BackupRunner.RequiredPermissions.Backup.Concat(BackupRunner.RequiredPermissions.Prune)
            .Concat(CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish).Select(p => p.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(declared, byTask);
        Assert.Contains("cloudwatch:PutMetricData", byTask);
        Assert.Contains("s3:PutObject", byTask);
        Assert.Contains("kms:GenerateDataKey", byTask);
        Assert.Contains("s3:ListBucket", byTask);

        var metric = Assert.Single(bed.CloudWatch.Metrics);
        Assert.Equal(DatabaseBackupBuilder.BackupMetricsNamespace, metric.Namespace);
        Assert.Equal("LastSuccessfulBackupAgeSeconds", metric.MetricName);
        Assert.Equal(spec.Name, metric.Dimensions["Environment"]);
        Assert.InRange(metric.Value ?? double.MaxValue, 0, 600);

        using var direct = s3rver.CreateClient();
        var listed = await direct.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = spec.Backups.Prefix }, TestContext.Current.CancellationToken);
        Assert.Contains(listed.S3Objects ?? [], o => o.Key.EndsWith("manifest.json", StringComparison.Ordinal));
        Assert.True(bed.Mongo.RequiresAuthentication);
        Assert.All(s3.Requests, r => Assert.Null(r.ErrorCode));
        RehearsalSummary.Write($"backup-task-{sample}",
            $"{sample}: scheduled backup task run from its task definition, exit {run.ExitCode}, {calls.Count} AWS calls authorized "
            + $"({byExecution.Count + byTask.Count} distinct actions by the execution and task roles), {bed.Iam.Denied.Count} denied; {listed.KeyCount} objects written");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"rehearsal {sample} backup task: exit {run.ExitCode}; {calls.Count} AWS calls authorized "
            + $"(execution role: {string.Join(", ", byExecution.Order(StringComparer.Ordinal))}; task role: {string.Join(", ", byTask.Order(StringComparer.Ordinal))}), "
            + $"{bed.Iam.Denied.Count} denied, {s3.Requests.Count} S3 requests through the IAM front; {listed.KeyCount} objects written below {spec.Backups.Prefix}");
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task A_secret_under_the_data_key_is_refused_to_a_role_the_key_does_not_serve_as_Secrets_Manager_refuses_it()
    {
        var spec = SampleSpecs.Owl270();
        await using var bed = await BackupBed.StartAsync(spec, "owl270-rehearsal-backups");
        // The task role may not read the secret at all; give a principal GetSecretValue but no kms:Decrypt.
        bed.Iam.Add(new IamPrincipal(ReaderKey.AccessKeyId, $"arn:aws:sts::{Account}:assumed-role/reader/rehearsal",
            [JsonNode.Parse("""{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""")!]));

        var answer = await bed.GetSecretValueAsync(ReaderKey, bed.BackupSecret.Arn);
        var denied = await bed.GetSecretValueAsync(TaskKey, bed.BackupSecret.Arn);

        Assert.Equal(400, (int)answer.Status);
        Assert.Equal("AccessDeniedException", answer.Body["__type"]?.GetValue<string>());
        Assert.Equal("Access to KMS is not allowed", answer.Body["message"]?.GetValue<string>());
        Assert.Equal("AccessDeniedException", denied.Body["__type"]?.GetValue<string>());
        Assert.Contains($"is not authorized to perform: secretsmanager:GetSecretValue on resource: {bed.BackupSecret.Arn}", denied.Body["message"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(bed.Iam.Denied, c => c.Action == "kms:Decrypt" && c.Resource == bed.DataKeyArn);
    }

    /// <summary>The simulators of one backup-task rehearsal, seeded from the synthesized stacks.</summary>
    private sealed class BackupBed : IAsyncDisposable
    {
        private readonly HttpClient _http = new();

        private X509Certificate2? _memberCertificate;

        private BackupBed(EnvironmentSpec spec, IamAuthority iam, SecretsManagerSimulator secrets, EcsSimulator ecs, CloudWatchSimulator cloudWatch, ReplicaSetSimulator mongo)
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

        public JsonObject Container { get; private set; } = [];

        public SimulatedSecret BackupSecret { get; private set; } = null!;

        private S3BucketAccess? Bucket { get; set; }

        /// <summary>s3rver behind the S3 IAM front: the backup bucket's synthesized policy, its SSE-KMS key (the backup key) and that key's policy.</summary>
        public Task<S3IamProxy> StartS3FrontAsync(Uri s3rverEndpoint) => S3IamProxy.StartAsync(
            new S3IamProxyOptions { Upstream = s3rverEndpoint, Iam = Iam, Region = Spec.Region, AccountId = Account, Buckets = [Bucket!] },
            TestContext.Current.CancellationToken);

        public string DataKeyArn => KeyArn("data");

        public string ExecutionPrincipal => $"arn:aws:sts::{Account}:assumed-role/{Spec.Name}-database-backup-BackupExecutionRole-REHEARSAL/ecs-agent";

        public string TaskPrincipal => $"arn:aws:sts::{Account}:assumed-role/{Spec.Name}-database-backup-BackupTaskRole-REHEARSAL/backup-task";

        private string KeyArn(string name) => $"arn:aws:kms:{Spec.Region}:{Account}:key/{name}-0000-4000-8000-rehearsal0001";

        public static async Task<BackupBed> StartAsync(EnvironmentSpec spec, string bucket)
        {
            var ct = TestContext.Current.CancellationToken;
            var set = spec.Synthesize();
            var ctx = new PlatformContext(spec);
            var iam = new IamAuthority();
            var options = new AwsSimulatorOptions
            {
                Clock = new VirtualClock(),
                Region = spec.Region,
                AccountId = Account,
                Credentials = [ExecutionKey, TaskKey, ReaderKey],
                Iam = iam,
            };
            var secrets = await SecretsManagerSimulator.StartAsync(options, ct);
            var ecs = await EcsSimulator.StartAsync(options, cancellationToken: ct);
            var cloudWatch = await CloudWatchSimulator.StartAsync(ecs, cancellationToken: ct);
            var database = spec.Database!;
            var mongo = ReplicaSetSimulator.Start(database.Members, database.ReplicaSetName);
            var bed = new BackupBed(spec, iam, secrets, ecs, cloudWatch, mongo);

            // The members require TLS with certificates from the environment's own CA (docs/mongo-tls.md): the first
            // member's bootstrap issues them and adds the CA as the `ca` key of the user secrets.
            using var authority = TestCertificateAuthority.Create($"{spec.Name} MongoDB CA");
            bed._memberCertificate = authority.IssueServerCertificate("localhost", "127.0.0.1");
            mongo.TlsCertificate = bed._memberCertificate;

            // The database stack's secret, as CloudFormation generates it, under the data key of the security stack.
            var imports = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ctx.ExportName(PlatformContext.SecurityPart, "DataKeyArn")] = bed.KeyArn("data"),
                [ctx.ExportName(PlatformContext.SecurityPart, "BackupKeyArn")] = bed.KeyArn("backup"),
                [ctx.ExportName(PlatformContext.SecurityPart, "LogsKeyArn")] = bed.KeyArn("logs"),
                [ctx.ExportName(PlatformContext.BackupsPart, "BackupBucketArn")] = $"arn:aws:s3:::{bucket}",
                [ctx.ExportName(PlatformContext.BackupsPart, "BackupBucketName")] = bucket,
            };
            var databaseStack = $"{spec.Name}-{PlatformContext.DatabasePart}";
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
            var securityStack = $"{spec.Name}-{PlatformContext.SecurityPart}";
            secrets.AddKey(bed.DataKeyArn, new SynthesizedPolicies(set, Account, imports).Resolve(securityStack, set[securityStack].Template.Resources["DataKey"].Properties["KeyPolicy"]));

            // The backup user exists in the set (the first member's user data creates it from the same secret).
            var value = JsonNode.Parse(bed.BackupSecret.SecretString)!;
            mongo.AddUser(value["username"]!.GetValue<string>(), value["password"]!.GetValue<string>());

            // The private hosted zone resolves the members' names to the simulator's loopback members, in order.
            var synthesized = DatabaseBuilder.ConnectionString(ctx);
            var hosts = synthesized["mongodb://".Length..synthesized.IndexOf('/', "mongodb://".Length)];
            imports[ctx.ExportName(PlatformContext.DatabasePart, "ConnectionString")] =
                synthesized.Replace(hosts, string.Join(',', mongo.Members.Select(m => m.Name)), StringComparison.Ordinal);
            imports[ctx.ExportName(PlatformContext.DatabasePart, "BackupSecretArn")] = bed.BackupSecret.Arn;

            var backupsStack = $"{spec.Name}-{PlatformContext.BackupsPart}";
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

            var backupStack = $"{spec.Name}-{PlatformContext.DatabaseBackupPart}";
            var policies = new SynthesizedPolicies(set, Account, imports);
            var template = set[backupStack].Template;
            var definitions = (JsonArray)policies.Resolve(backupStack, template.Resources["BackupTaskDefinition"].Properties["ContainerDefinitions"]);
            bed.Container = Assert.Single(definitions)!.AsObject();
            iam.Add(new IamPrincipal(ExecutionKey.AccessKeyId, bed.ExecutionPrincipal, policies.Of(backupStack, "BackupExecutionRole")));
            iam.Add(new IamPrincipal(TaskKey.AccessKeyId, bed.TaskPrincipal, policies.Of(backupStack, "BackupTaskRole")));
            return bed;
        }

        /// <summary>
        /// What the ECS agent gives the container: <c>Environment</c> as written, each of <c>secrets</c> read with the
        /// execution role (<c>valueFrom</c> = <c>&lt;secret ARN&gt;[:json-key[:version-stage[:version-id]]]</c>), and the region.
        /// </summary>
        public async Task<Dictionary<string, string>> EcsAgentEnvironmentAsync()
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_REGION"] = Spec.Region,
                ["AWS_DEFAULT_REGION"] = Spec.Region,
                ["AWS_EXECUTION_ENV"] = "AWS_ECS_EC2",
            };
            foreach (var variable in Container["Environment"]?.AsArray() ?? [])
            {
                environment[variable!["Name"]!.GetValue<string>()] = variable["Value"]!.GetValue<string>();
            }

            foreach (var secret in Container["Secrets"]?.AsArray() ?? [])
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
        /// Runs the image's ENTRYPOINT (from the Dockerfile that builds it) in the sample's build output, with exactly
        /// <paramref name="environment"/> plus the task role's credentials and the simulators' endpoints (what the
        /// container credentials provider and VPC endpoints would supply).
        /// </summary>
        public async Task<(int ExitCode, string Output, string Error)> RunEntrypointAsync(Dictionary<string, string> environment, Uri s3Endpoint)
        {
            var dockerfile = Path.Combine(RepositoryPaths.Root, "samples", "BackupTask", "Dockerfile");
            var entrypoint = File.ReadLines(dockerfile).Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
            var arguments = JsonNode.Parse(entrypoint["ENTRYPOINT ".Length..])!.AsArray().Select(a => a!.GetValue<string>()).ToList();
            Assert.Equal("dotnet", arguments[0]);
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var app = Path.Combine(RepositoryPaths.Root, "samples", "BackupTask", "bin", configuration, "net10.0");
            Assert.True(File.Exists(Path.Combine(app, arguments[1])), $"{arguments[1]} is not built in {app}: build the solution (dotnet build Workmates.OttKit.sln -c {configuration})");

            var start = new ProcessStartInfo(DotnetHost(), arguments.Skip(1)) { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            start.Environment["AWS_ACCESS_KEY_ID"] = TaskKey.AccessKeyId;
            start.Environment["AWS_SECRET_ACCESS_KEY"] = TaskKey.SecretAccessKey;
            start.Environment["AWS_ENDPOINT_URL_S3"] = s3Endpoint.ToString();
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
}
