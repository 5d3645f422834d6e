using System.Collections.Immutable;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Mongo.Backup;

public sealed partial class RestoreRunner
{
    /// <summary>The IAM actions a restore calls through <see cref="Storage.S3BackupObjectStore"/>.</summary>
    public static class RequiredPermissions
    {
        /// <summary>Restoring (<see cref="RunAsync"/>): find the backup, read its manifest and archive, decrypt them.</summary>
        public static ImmutableArray<RequiredAction> Restore { get; } =
        [
            new("s3:ListBucket", PermissionScope.BackupBucket),
            new("s3:GetObject", PermissionScope.BackupObjects),
            new("kms:Decrypt", PermissionScope.BucketKeyThroughS3),
        ];
    }
}
