using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The repositories stack: one ECR repository per service (scan on push, immutable tags, KMS encryption, lifecycle
/// policy). It deploys before the services so CI can push the first image before a service exists.
/// </summary>
internal static class RepositoryBuilder
{
    /// <summary>Expire untagged images after 7 days; keep the 50 most recent images.</summary>
    public const string LifecyclePolicy =
        """{"rules":[{"rulePriority":1,"description":"Expire untagged images after 7 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},{"rulePriority":2,"description":"Keep the 50 most recent images","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}}]}""";

    /// <summary>The image repository of a service: its <c>imageRepository</c>, else <c>&lt;env&gt;/&lt;service&gt;</c>.</summary>
    public static string RepositoryName(PlatformNaming naming, Blueprint.ServiceSpec service) => RepositoryName(naming, service.Name, service.ImageRepository);

    /// <summary>The image repository of a service: <paramref name="imageRepository"/>, else <c>&lt;env&gt;/&lt;service&gt;</c>.</summary>
    public static string RepositoryName(PlatformNaming naming, string service, string? imageRepository) => imageRepository ?? $"{naming.Env}/{service}";

    /// <summary>The backup task's image repository.</summary>
    public static string BackupRepositoryName(PlatformNaming naming) => $"{naming.Env}/ottkit-backup";

    public static Repositories Build(PlatformNaming naming, StackScope scope, RepositoryProps props)
    {
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: ECR repositories of the services";
        // A customer-managed key (ECR.5); ECR uses it through grants made with the caller's IAM permissions.
        var key = t.AddResource("RepositoryKey", "AWS::KMS::Key", new CfnObject
        {
            ["Description"] = $"{naming.Env}: encrypts the services' container images",
            ["EnableKeyRotation"] = true,
            ["KeyPolicy"] = new PolicyDocument
            {
                KeyParts.AccountAdministers(),
                KeyParts.DenyGrantsExceptForAwsResources(),
            }.ToNode(),
            ["Tags"] = naming.Tags("images-key"),
        });
        key.DeletionPolicy = DeletionPolicy.Retain;
        key.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        var images = props.Services.Select(s => (Id: PlatformNaming.Pascal(s.Name), Name: RepositoryName(naming, s.Name, s.ImageRepository), Tag: s.Name, Mutable: s.MutableTags, What: s.Name)).ToList();
        if (props.BackupImage)
        {
            // The library's MongoDB backup image, run by the database-backup stack's scheduled task.
            images.Add(("OttkitBackup", BackupRepositoryName(naming), "ottkit-backup", false, "the MongoDB backup task"));
        }

        var byId = new Dictionary<string, ImageRepository>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var id = image.Id;
            var repository = t.AddResource($"{id}Repository", "AWS::ECR::Repository", new CfnObject
            {
                ["RepositoryName"] = image.Name,
                ["ImageScanningConfiguration"] = new CfnObject { ["ScanOnPush"] = true },
                ["ImageTagMutability"] = image.Mutable ? "MUTABLE" : "IMMUTABLE",
                ["EncryptionConfiguration"] = new CfnObject { ["EncryptionType"] = "KMS", ["KmsKey"] = key.GetAtt("Arn") },
                ["LifecyclePolicy"] = new CfnObject { ["LifecyclePolicyText"] = LifecyclePolicy },
                ["Tags"] = naming.Tags(image.Tag),
            });
            repository.DeletionPolicy = DeletionPolicy.Retain;
            repository.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
            byId[id] = new ImageRepository(
                scope.Export($"{id}RepositoryUri", repository.GetAtt("RepositoryUri"), $"Image repository URI of {image.What}"),
                scope.Export($"{id}RepositoryArn", repository.GetAtt("Arn"), $"Image repository ARN of {image.What}"));
        }

        return new Repositories(scope, byId);
    }
}

/// <summary>The repositories construct's props (see <see cref="ConstructProps.Repositories"/>).</summary>
/// <param name="Services">One image repository per service, in spec order.</param>
/// <param name="BackupImage">Whether the library's MongoDB backup image gets a repository (there is a database).</param>
internal sealed record RepositoryProps(IReadOnlyList<ServiceImageProps> Services, bool BackupImage);

/// <summary>A service's image repository settings.</summary>
/// <param name="Name">The service name (<c>services[].name</c>).</param>
/// <param name="ImageRepository">Its <c>imageRepository</c>, when set.</param>
/// <param name="MutableTags">Whether image tags may be overwritten (<c>weakenings.mutableImageTags</c>).</param>
internal sealed record ServiceImageProps(string Name, string? ImageRepository, bool MutableTags);
