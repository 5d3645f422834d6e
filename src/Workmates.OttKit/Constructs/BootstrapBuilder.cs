using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The bootstrap stack, <c>&lt;env&gt;-bootstrap</c>: the artifacts bucket where <c>ottkit plan</c> and
/// <c>ottkit deploy stacks</c> keep every template they deploy, its own KMS key, and the bucket's access-log bucket.
/// It imports nothing, so an administrator deploys it first (with the ci stack, whose roles import only its exports);
/// being the bucket's own stack, it is created from a TemplateBody (see <c>StackDeployer</c>), and the CLI finds the
/// bucket afterwards through its output <c>ArtifactsBucketName</c> (docs/pipelines.md, <i>Bootstrap</i>).
/// </summary>
internal static class BootstrapBuilder
{
    /// <summary>The output the CLI reads the artifacts bucket's name from.</summary>
    public const string ArtifactsBucketOutput = "ArtifactsBucketName";

    /// <summary>Days the artifacts bucket's server access logs are kept (a year, like every other log).</summary>
    private const int AccessLogRetentionDays = 365;

    public static Bootstrap Build(PlatformNaming naming, StackScope scope, BootstrapProps props)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: bootstrap (artifacts bucket of every deployed template, its KMS key); deployed first, by an administrator";
        var key = SecurityBuilder.AddKey(t, naming, "Artifacts", "artifacts", "encrypts the deployed templates in the artifacts bucket", []);
        var logs = BucketParts.ServerAccessLogBucket(t, naming, "ArtifactsAccessLogBucket", "artifacts-access-logs", AccessLogRetentionDays, "ArtifactsBucket");
        var artifacts = BucketParts.KmsBucket(t, naming, "ArtifactsBucket", "artifacts", key.GetAtt("Arn"), logs, BucketParts.ExpiringLifecycle("expire-artifacts", props.ArtifactRetentionDays));
        BucketParts.Policy(t, artifacts, []);

        var bucketName = scope.Export(ArtifactsBucketOutput, artifacts.Ref(), "Bucket where the stack deployer keeps every deployed template version");
        var bucketArn = scope.Export("ArtifactsBucketArn", artifacts.GetAtt("Arn"), "ARN of the artifacts bucket");
        var keyArn = scope.Export("ArtifactsKeyArn", key.GetAtt("Arn"), "KMS key of the artifacts bucket (used through S3 only)");
        var logsName = scope.Export("ArtifactsAccessLogBucketName", logs.Ref(), "Bucket of the artifacts bucket's server access logs");
        return new Bootstrap(scope, new SecureBucket(bucketName, bucketArn), new KmsKey(keyArn), logsName);
    }
}

/// <summary>The bootstrap construct's props (see <see cref="ConstructProps.Bootstrap"/>).</summary>
/// <param name="ArtifactRetentionDays">Days a deployed template is kept (<c>backups.retentionDays</c>).</param>
internal sealed record BootstrapProps(int ArtifactRetentionDays);
