using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Cli;
using Workmates.OttKit.Constructs;
using Workmates.OttKit.Deployment;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Iam;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Testing;

/// <summary>The steps after the infrastructure: <c>deploy service</c> and <c>rollback service</c> (seam 1), the scheduled backup and health tasks (seam 4).</summary>
public static partial class Rehearsal
{
    private sealed partial class Run
    {
        private static readonly SimulatorCredentials ExecutionKey = new("AKIAREHEARSALBACKEXE", "rehearsal/backup/execution/EXAMPLEKEY");
        private static readonly SimulatorCredentials BackupTaskKey = new("AKIAREHEARSALBACKTSK", "rehearsal/backup/task/EXAMPLEKEY");
        private static readonly SimulatorCredentials HealthTaskKey = new("AKIAREHEARSALHEALTSK", "rehearsal/health/task/EXAMPLEKEY");
        private const string ScheduledTask = "scheduled task (ECS)";

        private string? _backupBucket;

        /// <summary>The keys every simulator accepts: the workflows' roles and the scheduled tasks' execution and task roles.</summary>
        private static SimulatorCredentials[] AllKeys => [DeployKey, PlanKey, AdminKey, ExecutionKey, BackupTaskKey, HealthTaskKey];

        /// <summary>The task steps (<see cref="RehearsalOptions.TaskSteps"/>): deploy and roll back the services, then the scheduled database tasks.</summary>
        private async Task RunTaskStepsAsync(IReadOnlyList<WorkflowFile> workflows, List<RehearsalFinding> findings, CancellationToken cancellationToken)
        {
            if (_ciRoles)
            {
                await DeployServicesAsync(workflows, cancellationToken).ConfigureAwait(false);
            }
            else if (spec.Services.Count > 0)
            {
                _steps.Add(new(_steps.Count + 1, RehearsalWorkflow, "deploy service", "ottkit deploy service, ottkit rollback service", null, RehearsalVerdict.Skipped, 0, 0, 0,
                    "no CI deploy role to run them as (no `ci` section, or the bootstrap failed)"));
            }

            await DatabaseTasksAsync(findings, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// <c>ottkit deploy service</c> for every service and <c>ottkit rollback service</c> for the first, as the service
        /// workflows and the rollback runbook run them, signed as the synthesized deploy role, against the ECS simulator seeded
        /// with each service as its stack creates it (task definition, deployment alarms, target group), ELBv2 and CloudWatch.
        /// </summary>
        private async Task DeployServicesAsync(IReadOnlyList<WorkflowFile> workflows, CancellationToken cancellationToken)
        {
            if (spec.Services.Count == 0)
            {
                return;
            }

            var ctx = new PlatformNaming(spec.Name, spec.Tags);
            foreach (var service in spec.Services)
            {
                var repository = $"{account}.dkr.ecr.{spec.Region}.amazonaws.com/{spec.Name}/{service.Name}";
                var roles = $"arn:aws:iam::{account}:role{ctx.TaskRolePath}{spec.Name}-service-{service.Name}";
                var first = _ecs!.RegisterTaskDefinition(
                    new JsonObject
                    {
                        ["family"] = $"{spec.Name}-{service.Name}",
                        ["taskRoleArn"] = roles + "-TaskRole-REHEARSAL",
                        ["executionRoleArn"] = roles + "-ExecutionRole-REHEARSAL",
                        ["networkMode"] = "awsvpc",
                        ["runtimePlatform"] = new JsonObject { ["cpuArchitecture"] = ((CfnScalar)ClusterBuilder.RuntimePlatform(spec.Cluster.InstanceTypes)["CpuArchitecture"]).Text, ["operatingSystemFamily"] = "LINUX" },
                        ["containerDefinitions"] = new JsonArray(new JsonObject
                        {
                            ["name"] = service.Name, ["image"] = repository + ":1", ["cpu"] = service.Cpu, ["memory"] = service.Memory, ["essential"] = true,
                        }),
                    },
                    new JsonArray(new JsonObject { ["key"] = "ottkit:environment", ["value"] = spec.Name }));
                var (errors, latency) = ServiceBuilder.AlarmNames(ctx, service.Name);
                _ecs.CreateService(new EcsServiceSeed
                {
                    Cluster = spec.Name,
                    ServiceName = service.Name,
                    TaskDefinition = first,
                    TargetGroupArn = $"arn:aws:elasticloadbalancing:{spec.Region}:{account}:targetgroup/{spec.Name}-{service.Name}/0123456789abcdef",
                    Alarms = [errors, latency],
                });
            }

            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"] = _elb!.BaseUrl.ToString(),
                ["AWS_ENDPOINT_URL_CLOUDWATCH"] = _cloudWatch!.BaseUrl.ToString(),
            };
            foreach (var service in spec.Services)
            {
                var file = workflows.FirstOrDefault(w => w.Kind == WorkflowKind.ServiceDeploy && Path.GetFileName(w.Path).Contains(service.Name, StringComparison.Ordinal));
                await CommandAsync(file is null ? RehearsalWorkflow : Path.GetFileName(file.Path), "build-and-deploy", DeployKey, DeployPrincipal,
                    ["deploy", "service", "--spec", specPath, "--service", service.Name, "--image", "2"], variables, ExitAccepted.Success, cancellationToken).ConfigureAwait(false);
            }

            await CommandAsync("rollback (docs/deploy.md)", "deploy role", DeployKey, DeployPrincipal,
                ["rollback", "service", "--spec", specPath, "--service", spec.Services[0].Name, "--deregister"], variables, ExitAccepted.Success, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// The database-backup stack's scheduled tasks run as their task definitions describe them: each container's
        /// <c>Environment</c> and ECS <c>secrets</c> resolved as the ECS agent resolves them (Secrets Manager, signed as the
        /// execution role, the secret's key decided by its synthesized key policy), then the image's entry point
        /// (<see cref="ScheduledDatabaseTask.RunAsync"/>, in process) with the container's command, that environment and the
        /// task role's credentials, against the replica-set simulator over TLS, S3 (the backup bucket behind the IAM front,
        /// its policy and SSE-KMS key policy) and CloudWatch.
        /// </summary>
        private async Task DatabaseTasksAsync(List<RehearsalFinding> findings, CancellationToken cancellationToken)
        {
            var backupStack = $"{spec.Name}-{PlatformNaming.DatabaseBackupPart}";
            if (spec.Database is not { } database || !_set.Stacks.Any(s => s.Name == backupStack))
            {
                return;
            }

            var ctx = new PlatformNaming(spec.Name, spec.Tags);
            var bucket = _backupBucket ?? $"{spec.Name}-rehearsal-backups";
            _s3server!.CreateBucket(bucket);
            string KeyArn(string name) => $"arn:aws:kms:{spec.Region}:{account}:key/{name}-0000-4000-8000-rehearsal0001";
            var imports = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ctx.ExportName(PlatformNaming.SecurityPart, "DataKeyArn")] = KeyArn("data"),
                [ctx.ExportName(PlatformNaming.SecurityPart, "BackupKeyArn")] = KeyArn("backup"),
                [ctx.ExportName(PlatformNaming.SecurityPart, "LogsKeyArn")] = KeyArn("logs"),
                [ctx.ExportName(PlatformNaming.BackupsPart, "BackupBucketArn")] = $"arn:aws:s3:::{bucket}",
                [ctx.ExportName(PlatformNaming.BackupsPart, "BackupBucketName")] = bucket,
            };
            var known = new Dictionary<string, string>(StringComparer.Ordinal) { ["BackupBucket.Arn"] = $"arn:aws:s3:::{bucket}", ["BackupBucket"] = bucket };

            // The members require TLS with certificates from the environment's own CA (docs/mongo-tls.md); the CA is the `ca` key of the user secret.
            await using var mongo = ReplicaSetSimulator.Start(database.Members, database.ReplicaSetName);
            using var authority = TestCertificateAuthority.Create($"{spec.Name} MongoDB CA");
            using var certificate = authority.IssueServerCertificate("localhost", "127.0.0.1");
            mongo.TlsCertificate = certificate;
            // The database stack's user secret, as CloudFormation generates it, under the data key of the security stack.
            var databaseStack = $"{spec.Name}-{PlatformNaming.DatabasePart}";
            var securityStack = $"{spec.Name}-{PlatformNaming.SecurityPart}";
            var secretProperties = new SynthesizedPolicies(_set, account, imports).Resolve(databaseStack, _set[databaseStack].Template.Resources["BackupSecret"].Properties);
            var generate = secretProperties["GenerateSecretString"]!;
            var generated = JsonNode.Parse(SecretsManagerSimulator.Generated(
                generate["SecretStringTemplate"]!.GetValue<string>(), generate["GenerateStringKey"]!.GetValue<string>(), generate["PasswordLength"]!.GetValue<int>(), spec.Name))!.AsObject();
            generated["ca"] = authority.CertificatePem;
            var secret = _secrets!.CreateSecret(secretProperties["Name"]!.GetValue<string>(), generated.ToJsonString(), secretProperties["KmsKeyId"]!.GetValue<string>());
            _secrets.AddKey(KeyArn("data"), new SynthesizedPolicies(_set, account, imports).Resolve(securityStack, _set[securityStack].Template.Resources["DataKey"].Properties["KeyPolicy"]));
            mongo.AddUser(generated["username"]!.GetValue<string>(), generated["password"]!.GetValue<string>());

            // The private hosted zone resolves the members' names to the simulator's loopback members, in order.
            var synthesized = DatabaseBuilder.ConnectionString(ctx, ConstructProps.Database(spec));
            var hosts = synthesized["mongodb://".Length..synthesized.IndexOf('/', "mongodb://".Length)];
            imports[ctx.ExportName(PlatformNaming.DatabasePart, "ConnectionString")] = synthesized.Replace(hosts, string.Join(',', mongo.Members.Select(m => m.Name)), StringComparison.Ordinal);
            imports[ctx.ExportName(PlatformNaming.DatabasePart, "BackupSecretArn")] = secret.Arn;

            var policies = new SynthesizedPolicies(_set, account, imports, known);
            var backupsStack = $"{spec.Name}-{PlatformNaming.BackupsPart}";
            _s3!.AddBucket(new S3BucketAccess(bucket)
            {
                Policy = policies.Resolve(backupsStack, _set[backupsStack].Template.Resources["BackupBucketPolicy"].Properties["PolicyDocument"]),
                KmsKeyArn = KeyArn("backup"),
                KeyPolicy = policies.Resolve(securityStack, _set[securityStack].Template.Resources["BackupKey"].Properties["KeyPolicy"]),
                BucketKeyEnabled = true,
            });

            var template = _set[backupStack].Template;
            var executionPrincipal = $"arn:aws:sts::{account}:assumed-role/{spec.Name}-database-backup-BackupExecutionRole-REHEARSAL/ecs-agent";
            _iam.Add(new IamPrincipal(ExecutionKey.AccessKeyId, executionPrincipal, policies.Of(backupStack, "BackupExecutionRole")));
            var backupPrincipal = $"arn:aws:sts::{account}:assumed-role/{spec.Name}-database-backup-BackupTaskRole-REHEARSAL/backup-task";
            _iam.Add(new IamPrincipal(BackupTaskKey.AccessKeyId, backupPrincipal, policies.Of(backupStack, "BackupTaskRole")));
            var healthPrincipal = $"arn:aws:sts::{account}:assumed-role/{spec.Name}-database-backup-HealthTaskRole-REHEARSAL/health-task";
            var hasHealth = template.Resources.ContainsKey("HealthTaskDefinition");
            if (hasHealth)
            {
                _iam.Add(new IamPrincipal(HealthTaskKey.AccessKeyId, healthPrincipal, policies.Of(backupStack, "HealthTaskRole")));
            }

            // The health check first, on the set as the first member's bootstrap leaves it (writes seconds before would read
            // as an oplog filling in seconds): every alarm of the monitoring stack in its namespace must watch what it
            // published, and none breach on a healthy set.
            int metricsBefore;
            if (hasHealth)
            {
                var healthContainer = policies.Resolve(backupStack, template.Resources["HealthTaskDefinition"].Properties["ContainerDefinitions"])[0]!.AsObject();
                metricsBefore = _cloudWatch!.Metrics.Count;
                if (await TaskAsync($"{backupStack}/HealthTaskDefinition", healthContainer, healthPrincipal, HealthTaskKey, cancellationToken).ConfigureAwait(false))
                {
                    var published = _cloudWatch.Metrics.Skip(metricsBefore).ToList();
                    foreach (var alarm in HealthAlarms(policies))
                    {
                        var name = alarm["AlarmName"]?.GetValue<string>() ?? "alarm";
                        if (HealthAlarmEvaluation.Watched(alarm, published).Count == 0)
                        {
                            findings.Add(new("tasks", name, $"watches {alarm["MetricName"]} {alarm["Dimensions"]?.ToJsonString()}, which the health task did not publish"));
                        }
                        else if (HealthAlarmEvaluation.Breaches(alarm, published))
                        {
                            findings.Add(new("tasks", name, "breaches on a healthy replica set"));
                        }
                    }
                }
            }

            // Then the data the backup archives.
            for (var i = 0; i < 20; i++)
            {
                mongo.Data.Insert(spec.Name, "rehearsal", new BsonDocument { { "_id", i }, { "title", $"video {i}" }, { "seconds", i * 60 } });
            }

            // The backup: then what it must have left behind (a manifest, no open upload, the age metric).
            var backupContainer = policies.Resolve(backupStack, template.Resources["BackupTaskDefinition"].Properties["ContainerDefinitions"])[0]!.AsObject();
            metricsBefore = _cloudWatch!.Metrics.Count;
            var backupOk = await TaskAsync($"{backupStack}/BackupTaskDefinition", backupContainer, backupPrincipal, BackupTaskKey, cancellationToken).ConfigureAwait(false);
            if (backupOk)
            {
                var prefix = spec.Backups.Prefix;
                if (!_s3server.Keys(bucket).Any(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith("manifest.json", StringComparison.Ordinal)))
                {
                    findings.Add(new("tasks", $"{backupStack}/BackupTaskDefinition", $"the backup exited 0 but wrote no manifest below s3://{bucket}/{prefix}"));
                }

                if (_s3server.OpenUploads(bucket).Count > 0)
                {
                    findings.Add(new("tasks", $"{backupStack}/BackupTaskDefinition", $"the backup left multipart uploads open: {string.Join(", ", _s3server.OpenUploads(bucket))}"));
                }

                if (!_cloudWatch.Metrics.Skip(metricsBefore).Any(m => m.Namespace == BackupMetricNames.Namespace && m.MetricName == BackupMetricNames.LastSuccessfulBackupAgeSeconds))
                {
                    findings.Add(new("tasks", $"{backupStack}/BackupTaskDefinition", $"the backup published no {BackupMetricNames.Namespace} {BackupMetricNames.LastSuccessfulBackupAgeSeconds}: its alarm cannot tell a backup ran"));
                }
            }
        }

        /// <summary>The monitoring stack's alarms in the health check's namespace, resolved as CloudFormation would create them.</summary>
        private List<JsonObject> HealthAlarms(SynthesizedPolicies policies)
        {
            var stack = $"{spec.Name}-{PlatformNaming.MonitoringPart}";
            if (!_set.Stacks.Any(s => s.Name == stack))
            {
                return [];
            }

            return [.. _set[stack].Template.Resources.Values
                .Where(r => r.Type == "AWS::CloudWatch::Alarm")
                .Select(r => policies.Resolve(stack, r.Properties).AsObject())
                .Where(a => a["Namespace"]?.GetValue<string>() == ReplicaSetHealthMetricNames.Namespace)];
        }

        /// <summary>One scheduled task: the ECS agent's environment, then the entry point as the task role; one report step.</summary>
        private async Task<bool> TaskAsync(string taskDefinition, JsonObject container, string principal, SimulatorCredentials taskRole, CancellationToken cancellationToken)
        {
            var command = container["Command"]?.AsArray().Select(a => a!.GetValue<string>()).ToList() ?? [];
            var before = _iam.Calls.Count;
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            int exitCode;
            try
            {
                var environment = await EcsAgentEnvironmentAsync(container, error, cancellationToken).ConfigureAwait(false);
                if (environment is null)
                {
                    exitCode = -1;
                }
                else
                {
                    environment["AWS_ACCESS_KEY_ID"] = taskRole.AccessKeyId;
                    environment["AWS_SECRET_ACCESS_KEY"] = taskRole.SecretAccessKey;
                    environment["AWS_ENDPOINT_URL_S3"] = _s3!.Endpoint.ToString();
                    environment["AWS_ENDPOINT_URL_CLOUDWATCH"] = _cloudWatch!.BaseUrl.ToString();
                    var temporary = Directory.CreateDirectory(Path.Combine(directory, "task-tmp")).FullName;
                    // The task runs on the system clock, as the image does: the MongoDB driver's I/O is not tracked by the virtual clock.
                    exitCode = await ScheduledDatabaseTask.RunAsync(command, environment, TimeProvider.System, temporary, output, error, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                exitCode = -1;
                await error.WriteLineAsync($"the task did not finish: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            }

            var calls = _iam.Calls.Skip(before).ToList();
            var denied = calls.Where(c => c.Decision != IamDecision.Allowed).ToList();
            var ok = exitCode == 0 && denied.Count == 0;
            var detail = ok ? string.Empty : $"exit code {exitCode}\n{Tail(output.ToString())}\n{Tail(error.ToString())}".TrimEnd()
                + (denied.Count == 0 ? string.Empty : "\n" + string.Join('\n', denied.Select(IamAuthority.DeniedMessage)));
            _steps.Add(new(_steps.Count + 1, ScheduledTask, taskDefinition, "dotnet BackupTask.dll" + (command.Count == 0 ? string.Empty : " " + string.Join(' ', command)),
                principal, ok ? RehearsalVerdict.Passed : RehearsalVerdict.Failed, exitCode, calls.Count, denied.Count, detail));
            return ok;
        }

        /// <summary>
        /// What the ECS agent gives the container: <c>Environment</c> as written, each of <c>secrets</c> read as the execution
        /// role (<c>valueFrom</c> = <c>&lt;secret ARN&gt;[:json-key[:version-stage[:version-id]]]</c>), and the region. Null
        /// (the reason written to <paramref name="error"/>) when the task would not start (ResourceInitializationError).
        /// </summary>
        private async Task<Dictionary<string, string>?> EcsAgentEnvironmentAsync(JsonObject container, TextWriter error, CancellationToken cancellationToken)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["AWS_REGION"] = spec.Region,
                ["AWS_DEFAULT_REGION"] = spec.Region,
                ["AWS_EXECUTION_ENV"] = "AWS_ECS_EC2",
            };
            foreach (var variable in container["Environment"]?.AsArray() ?? [])
            {
                environment[variable!["Name"]!.GetValue<string>()] = variable["Value"]!.GetValue<string>();
            }

            using var http = new HttpClient();
            foreach (var secret in container["Secrets"]?.AsArray() ?? [])
            {
                var valueFrom = secret!["ValueFrom"]!.GetValue<string>();
                var parts = valueFrom.Split(':');
                if (parts.Length is not (7 or 10) || parts[2] != "secretsmanager")
                {
                    await error.WriteLineAsync($"ResourceInitializationError: valueFrom '{valueFrom}' is not a Secrets Manager ARN with an optional ':json-key:version-stage:version-id'").ConfigureAwait(false);
                    return null;
                }

                var arn = string.Join(':', parts[..7]);
                var input = new JsonObject { ["SecretId"] = arn };
                if (parts.Length == 10 && parts[8].Length > 0)
                {
                    input["VersionStage"] = parts[8];
                }

                if (parts.Length == 10 && parts[9].Length > 0)
                {
                    input["VersionId"] = parts[9];
                }

                var body = Encoding.UTF8.GetBytes(input.ToJsonString());
                using var request = new HttpRequestMessage(HttpMethod.Post, _secrets!.BaseUrl) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
                request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
                SigV4.Sign(request, body, ExecutionKey, spec.Region, "secretsmanager", DateTimeOffset.UtcNow);
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    await error.WriteLineAsync($"ResourceInitializationError: unable to retrieve secret from asm: GetSecretValue {arn}: {text}").ConfigureAwait(false);
                    return null;
                }

                var value = JsonNode.Parse(text)!["SecretString"]!.GetValue<string>();
                var jsonKey = parts.Length == 10 ? parts[7] : string.Empty;
                var resolved = jsonKey.Length == 0 ? value : JsonNode.Parse(value)?[jsonKey]?.GetValue<string>();
                if (resolved is null)
                {
                    await error.WriteLineAsync($"ResourceInitializationError: the secret {arn} has no JSON key '{jsonKey}'").ConfigureAwait(false);
                    return null;
                }

                environment[secret["Name"]!.GetValue<string>()] = resolved;
            }

            return environment;
        }
    }
}

/// <summary>One evaluation period of a CloudWatch alarm as CloudWatch evaluates it: the statistic over the period's data points, or the alarm's missing-data treatment when there are none.</summary>
internal static class HealthAlarmEvaluation
{
    /// <summary>The data points an alarm watches (namespace, metric name and exactly its dimensions).</summary>
    public static List<ReceivedMetricDatum> Watched(JsonObject alarm, IReadOnlyList<ReceivedMetricDatum> metrics)
    {
        var dimensions = (alarm["Dimensions"]?.AsArray() ?? []).ToDictionary(d => d!["Name"]!.GetValue<string>(), d => d!["Value"]!.GetValue<string>(), StringComparer.Ordinal);
        return [.. metrics.Where(m => m.Namespace == alarm["Namespace"]!.GetValue<string>()
            && m.MetricName == alarm["MetricName"]!.GetValue<string>()
            && m.Dimensions.Count == dimensions.Count
            && dimensions.All(d => m.Dimensions.TryGetValue(d.Key, out var value) && value == d.Value))];
    }

    /// <summary>Whether the alarm breaches on these data points.</summary>
    public static bool Breaches(JsonObject alarm, IReadOnlyList<ReceivedMetricDatum> metrics)
    {
        var values = Watched(alarm, metrics).Select(m => m.Value ?? 0).ToList();
        if (values.Count == 0)
        {
            return alarm["TreatMissingData"]?.GetValue<string>() == "breaching";
        }

        var value = alarm["Statistic"]!.GetValue<string>() switch
        {
            "Minimum" => values.Min(),
            "Maximum" => values.Max(),
            "Average" => values.Average(),
            "Sum" => values.Sum(),
            var other => throw new InvalidOperationException($"statistic {other}"),
        };
        var threshold = double.Parse(alarm["Threshold"]!.ToString(), CultureInfo.InvariantCulture);
        return alarm["ComparisonOperator"]!.GetValue<string>() switch
        {
            "LessThanThreshold" => value < threshold,
            "LessThanOrEqualToThreshold" => value <= threshold,
            "GreaterThanThreshold" => value > threshold,
            "GreaterThanOrEqualToThreshold" => value >= threshold,
            var other => throw new InvalidOperationException($"comparison {other}"),
        };
    }
}
