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
/// Seam 4 of the rehearsal (issue 13), through the package (issue 21): the scheduled database backup run exactly as its
/// synthesized task definition describes it — the container's <c>Environment</c> and ECS <c>secrets</c> resolved the way
/// the ECS agent resolves them (each <c>valueFrom</c> read from the Secrets Manager simulator as the task EXECUTION role,
/// the secret's KMS key decided by its synthesized key policy), then the image's entry point
/// (<see cref="Workmates.OttKit.Cli.ScheduledDatabaseTask"/>, in process) with exactly that environment and the task
/// ROLE's credentials against the replica-set simulator over TLS, the in-memory S3 behind the IAM front and CloudWatch.
/// One more test runs the same task as the image does — the Dockerfile's <c>ENTRYPOINT</c>, a child process — against
/// s3rver: it proves what the in-process step cannot (docs/rehearsal.md): that the image's entry point is wired to that
/// library call, and that an S3 implementation we did not write accepts the SDK's multipart and checksum requests.
/// </summary>
public sealed class BackupTaskRehearsalTests(S3rverFixture s3rver) : IClassFixture<S3rverFixture>
{
    [Theory(Timeout = TestTimeouts.External)]
    [MemberData(nameof(SampleSpecs.Rehearsed), MemberType = typeof(SampleSpecs))]
    public async Task The_rehearsal_runs_the_scheduled_backup_as_its_task_definition_describes_it_with_no_denied_call(string sample)
    {
        var spec = SampleSpecs.ByName(sample);
        var report = await RehearsedSamples.ReportAsync(sample).WaitAsync(TestContext.Current.CancellationToken);

        var step = Assert.Single(report.Steps, s => s.Job == $"{spec.Name}-{PlatformNaming.DatabaseBackupPart}/BackupTaskDefinition");
        Assert.True(step.Verdict == RehearsalVerdict.Passed, step.Detail);
        Assert.Equal("dotnet BackupTask.dll", step.Command);
        var calls = report.CallsOf(step);
        Assert.All(calls, c => Assert.True(c.Allowed, c.Message));
        var byExecution = calls.Where(c => c.Principal.Contains("-BackupExecutionRole-", StringComparison.Ordinal)).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        var byTask = calls.Where(c => c.Principal == step.Principal).Select(c => c.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["kms:Decrypt", "secretsmanager:GetSecretValue"], byExecution.Order(StringComparer.Ordinal));
        var declared = BackupRunner.RequiredPermissions.Backup.Concat(BackupRunner.RequiredPermissions.Prune)
            .Concat(CloudWatchHealthMetricsPublisher.RequiredPermissions.Publish).Select(p => p.Action).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(declared, byTask);
        Assert.Contains("s3:PutObject", byTask);
        Assert.Contains("kms:GenerateDataKey", byTask);
        Assert.Contains("s3:ListBucket", byTask);
        Assert.DoesNotContain(report.Findings, f => f.Kind == "tasks");
        RehearsalSummary.Write($"backup-task-{sample}",
            $"{sample}: scheduled backup task run in process from its task definition, exit {step.ExitCode}, {calls.Count} AWS calls authorized "
            + $"({byExecution.Count + byTask.Count} distinct actions by the execution and task roles), {step.Denied} denied");
    }

    [Fact(Timeout = TestTimeouts.External)]
    public async Task The_backup_image_entry_point_as_a_process_against_s3rver_backs_up_with_no_denied_call()
    {
        const string sample = "owl270";
        var spec = SampleSpecs.ByName(sample);
        var bucket = await s3rver.CreateBucketAsync(TestContext.Current.CancellationToken);
        await using var bed = await DatabaseTaskBed.StartAsync(spec, bucket);
        await using var s3 = await bed.StartS3FrontAsync(s3rver.Require());
        BackupFixture.Seed(bed.Mongo);

        var container = bed.Container;
        Assert.Null(container["Command"]);
        Assert.Null(container["EntryPoint"]);
        var environment = await bed.EcsAgentEnvironmentAsync(container);
        var run = await bed.RunEntrypointAsync(container, environment, DatabaseTaskBed.TaskKey, s3.Endpoint);

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
        RehearsalSummary.Write($"backup-task-process-{sample}",
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
        await using var bed = await DatabaseTaskBed.StartAsync(spec, "owl270-rehearsal-backups");
        // The task role may not read the secret at all; give a principal GetSecretValue but no kms:Decrypt.
        bed.Iam.Add(new IamPrincipal(DatabaseTaskBed.ReaderKey.AccessKeyId, $"arn:aws:sts::{DatabaseTaskBed.Account}:assumed-role/reader/rehearsal",
            [JsonNode.Parse("""{"Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""")!]));

        var answer = await bed.GetSecretValueAsync(DatabaseTaskBed.ReaderKey, bed.BackupSecret.Arn);
        var denied = await bed.GetSecretValueAsync(DatabaseTaskBed.TaskKey, bed.BackupSecret.Arn);

        Assert.Equal(400, (int)answer.Status);
        Assert.Equal("AccessDeniedException", answer.Body["__type"]?.GetValue<string>());
        Assert.Equal("Access to KMS is not allowed", answer.Body["message"]?.GetValue<string>());
        Assert.Equal("AccessDeniedException", denied.Body["__type"]?.GetValue<string>());
        Assert.Contains($"is not authorized to perform: secretsmanager:GetSecretValue on resource: {bed.BackupSecret.Arn}", denied.Body["message"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(bed.Iam.Denied, c => c.Action == "kms:Decrypt" && c.Resource == bed.DataKeyArn);
    }
}
