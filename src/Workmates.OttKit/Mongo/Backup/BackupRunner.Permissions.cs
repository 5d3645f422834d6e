using System.Collections.Immutable;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Mongo.Backup;

public sealed partial class BackupRunner
{
    /// <summary>
    /// The IAM actions a backup calls through <see cref="Storage.S3BackupObjectStore"/>; the scheduled backup task's
    /// role is granted from these lists. The MongoDB side needs no IAM (the task connects with the backup user).
    /// </summary>
    public static class RequiredPermissions
    {
        /// <summary>Writing a backup (<see cref="RunAsync"/>): a multipart upload of the archive and the manifest, SSE-KMS with the backup key.</summary>
        public static ImmutableArray<RequiredAction> Backup { get; } =
        [
            new("s3:PutObject", PermissionScope.BackupObjects),
            new("s3:AbortMultipartUpload", PermissionScope.BackupObjects),
            new("s3:ListMultipartUploadParts", PermissionScope.BackupObjects),
            new("kms:GenerateDataKey", PermissionScope.BucketKeyThroughS3),
            new("kms:Decrypt", PermissionScope.BucketKeyThroughS3),
        ];

        /// <summary>Listing and pruning the catalogue (<see cref="BackupCatalog"/>): list, read manifests, delete expired backups.</summary>
        public static ImmutableArray<RequiredAction> Prune { get; } =
        [
            new("s3:ListBucket", PermissionScope.BackupBucket),
            new("s3:GetObject", PermissionScope.BackupObjects),
            new("s3:DeleteObject", PermissionScope.BackupObjects),
            new("kms:Decrypt", PermissionScope.BucketKeyThroughS3),
        ];
    }
}
