using System.Collections.Immutable;
using Workmates.OttKit.Iam;

namespace Workmates.OttKit.Aws.CloudWatch;

public sealed partial class CloudWatchHealthMetricsPublisher
{
    /// <summary>The IAM actions <see cref="CloudWatchHealthMetricsPublisher"/> calls.</summary>
    public static class RequiredPermissions
    {
        /// <summary>Publishing health and backup-age metrics (<see cref="PublishAsync"/>), in OttKit's own namespaces only.</summary>
        public static ImmutableArray<RequiredAction> Publish { get; } =
        [
            new("cloudwatch:PutMetricData", PermissionScope.OwnMetricNamespace),
        ];
    }
}
