using System.Collections.Frozen;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The CloudFormation service role <c>&lt;env&gt;-cloudformation</c>: the deploy role passes it with every change set,
/// so the stacks are created and updated with its permissions, never the CI role's. It may call exactly the actions
/// CloudFormation's handlers need for the resource types the stack set contains (create, read, update, delete, tag),
/// taken from <see cref="ActionsByResourceType"/>; a resource type missing from the table fails synthesis, so a new
/// construct cannot ship without its permissions. Roles are created, changed and passed only under the environment's
/// own names.
/// </summary>
internal static class CloudFormationServiceRole
{
    /// <summary>The role's name.</summary>
    public static string RoleName(PlatformNaming naming) => $"{naming.Env}-cloudformation";

    /// <summary>What CloudFormation calls per resource type (its handlers' create/read/update/delete/tag permissions).</summary>
    public static FrozenDictionary<string, string[]> ActionsByResourceType { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["AWS::ApplicationAutoScaling::ScalableTarget"] =
        [
            "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:DescribeScalableTargets",
            "application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction", "application-autoscaling:DescribeScheduledActions",
            "application-autoscaling:TagResource", "application-autoscaling:UntagResource", "application-autoscaling:ListTagsForResource",
            "ecs:DescribeServices", "ecs:UpdateService", "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms",
        ],
        ["AWS::ApplicationAutoScaling::ScalingPolicy"] =
        [
            "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:DescribeScalingPolicies",
            "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms",
        ],
        ["AWS::AutoScaling::AutoScalingGroup"] =
        [
            "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup", "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeScalingActivities", "autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", "autoscaling:EnableMetricsCollection",
            "autoscaling:DisableMetricsCollection", "autoscaling:SetInstanceProtection", "autoscaling:TerminateInstanceInAutoScalingGroup",
            "ec2:DescribeLaunchTemplateVersions", "ec2:RunInstances", "ec2:CreateTags", "ec2:DescribeSubnets", "ec2:DescribeInstances",
        ],
        // The live events' host floors (the registry handlers: put on create and update, delete, describe to read).
        ["AWS::AutoScaling::ScheduledAction"] =
        [
            "autoscaling:PutScheduledUpdateGroupAction", "autoscaling:DeleteScheduledAction", "autoscaling:DescribeScheduledActions",
        ],
        ["AWS::Backup::BackupPlan"] = ["backup:CreateBackupPlan", "backup:UpdateBackupPlan", "backup:DeleteBackupPlan", "backup:GetBackupPlan", "backup:TagResource", "backup:UntagResource", "backup:ListTags"],
        ["AWS::Backup::BackupSelection"] = ["backup:CreateBackupSelection", "backup:DeleteBackupSelection", "backup:GetBackupSelection"],
        ["AWS::Backup::BackupVault"] =
        [
            "backup:CreateBackupVault", "backup:DeleteBackupVault", "backup:DescribeBackupVault", "backup:PutBackupVaultAccessPolicy",
            "backup:DeleteBackupVaultAccessPolicy", "backup:GetBackupVaultAccessPolicy", "backup:PutBackupVaultLockConfiguration",
            "backup:DeleteBackupVaultLockConfiguration", "backup:TagResource", "backup:UntagResource", "backup:ListTags",
            "backup-storage:MountCapsule", "kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt",
        ],
        ["AWS::CertificateManager::Certificate"] =
        [
            "acm:RequestCertificate", "acm:DescribeCertificate", "acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate",
            "acm:ListTagsForCertificate", "route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListResourceRecordSets",
        ],
        ["AWS::CloudFront::Distribution"] =
        [
            "cloudfront:CreateDistribution", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution",
            "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:TagResource", "cloudfront:UntagResource",
            "cloudfront:ListTagsForResource", "wafv2:GetWebACL", "acm:DescribeCertificate",
        ],
        ["AWS::CloudFront::OriginAccessControl"] =
        [
            "cloudfront:CreateOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
            "cloudfront:GetOriginAccessControl",
        ],
        ["AWS::CloudTrail::Trail"] =
        [
            "cloudtrail:CreateTrail", "cloudtrail:UpdateTrail", "cloudtrail:DeleteTrail", "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
            "cloudtrail:StartLogging", "cloudtrail:StopLogging", "cloudtrail:PutEventSelectors", "cloudtrail:GetEventSelectors",
            "cloudtrail:AddTags", "cloudtrail:RemoveTags", "cloudtrail:ListTags",
        ],
        ["AWS::CloudWatch::Alarm"] =
        [
            "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource",
            "cloudwatch:ListTagsForResource",
        ],
        ["AWS::CloudWatch::Dashboard"] = ["cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"],
        ["AWS::Config::ConfigRule"] =
        [
            "config:PutConfigRule", "config:DeleteConfigRule", "config:DescribeConfigRules", "config:TagResource", "config:UntagResource",
            "config:ListTagsForResource",
        ],
        ["AWS::Config::ConfigurationRecorder"] =
        [
            "config:PutConfigurationRecorder", "config:DeleteConfigurationRecorder", "config:DescribeConfigurationRecorders",
            "config:DescribeConfigurationRecorderStatus", "config:StartConfigurationRecorder", "config:StopConfigurationRecorder",
        ],
        ["AWS::Config::DeliveryChannel"] = ["config:PutDeliveryChannel", "config:DeleteDeliveryChannel", "config:DescribeDeliveryChannels", "s3:GetBucketAcl", "sns:GetTopicAttributes"],
        ["AWS::Config::RemediationConfiguration"] =
        [
            "config:PutRemediationConfigurations", "config:DeleteRemediationConfiguration", "config:DescribeRemediationConfigurations",
            "ssm:GetDocument",
        ],
        ["AWS::EC2::EIP"] = ["ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DescribeAddresses", "ec2:CreateTags", "ec2:DeleteTags"],
        ["AWS::EC2::EIPAssociation"] = ["ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:DescribeAddresses", "ec2:DescribeInstances"],
        ["AWS::EC2::FlowLog"] =
        [
            "ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "ec2:DescribeFlowLogs", "ec2:CreateTags", "ec2:DeleteTags",
            "logs:CreateLogDelivery", "logs:DeleteLogDelivery",
        ],
        ["AWS::EC2::Instance"] =
        [
            "ec2:RunInstances", "ec2:TerminateInstances", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:ModifyInstanceAttribute",
            "ec2:StartInstances", "ec2:StopInstances", "ec2:CreateTags", "ec2:DeleteTags", "ec2:DescribeLaunchTemplateVersions",
            "ssm:GetParameters",
        ],
        ["AWS::EC2::InternetGateway"] = ["ec2:CreateInternetGateway", "ec2:DeleteInternetGateway", "ec2:DescribeInternetGateways", "ec2:CreateTags", "ec2:DeleteTags"],
        ["AWS::EC2::LaunchTemplate"] =
        [
            "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate",
            "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", "ec2:CreateTags", "ec2:DeleteTags", "ssm:GetParameters",
        ],
        ["AWS::EC2::NatGateway"] = ["ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:DescribeNatGateways", "ec2:CreateTags", "ec2:DeleteTags"],
        ["AWS::EC2::Route"] = ["ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute", "ec2:DescribeRouteTables"],
        ["AWS::EC2::RouteTable"] = ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:DescribeRouteTables", "ec2:CreateTags", "ec2:DeleteTags"],
        ["AWS::EC2::SecurityGroup"] =
        [
            "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
            "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
            "ec2:CreateTags", "ec2:DeleteTags",
        ],
        ["AWS::EC2::SecurityGroupEgress"] =
        [
            "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
            "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        ],
        ["AWS::EC2::SecurityGroupIngress"] =
        [
            "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
            "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        ],
        ["AWS::EC2::Subnet"] =
        [
            "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:DescribeSubnets", "ec2:ModifySubnetAttribute", "ec2:CreateTags", "ec2:DeleteTags",
            "ec2:DescribeAvailabilityZones",
        ],
        ["AWS::EC2::SubnetRouteTableAssociation"] = ["ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation", "ec2:DescribeRouteTables"],
        ["AWS::EC2::VPC"] =
        [
            "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute", "ec2:CreateTags", "ec2:DeleteTags",
            "ec2:DescribeSecurityGroups", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
        ],
        ["AWS::EC2::VPCEndpoint"] =
        [
            "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:DescribeVpcEndpoints", "ec2:CreateTags", "ec2:DeleteTags",
        ],
        ["AWS::EC2::VPCGatewayAttachment"] = ["ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DescribeInternetGateways"],
        ["AWS::EC2::Volume"] =
        [
            "ec2:CreateVolume", "ec2:DeleteVolume", "ec2:DescribeVolumes", "ec2:ModifyVolume", "ec2:DescribeVolumesModifications",
            "ec2:CreateSnapshot", "ec2:DescribeSnapshots", "ec2:CreateTags", "ec2:DeleteTags", "kms:CreateGrant", "kms:DescribeKey",
            "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt",
        ],
        ["AWS::EC2::VolumeAttachment"] = ["ec2:AttachVolume", "ec2:DetachVolume", "ec2:DescribeVolumes"],
        ["AWS::ECR::Repository"] =
        [
            "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:PutImageScanningConfiguration",
            "ecr:PutImageTagMutability", "ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
            "ecr:SetRepositoryPolicy", "ecr:GetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:TagResource", "ecr:UntagResource",
            "ecr:ListTagsForResource", "kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant",
        ],
        ["AWS::ECS::CapacityProvider"] =
        [
            "ecs:CreateCapacityProvider", "ecs:UpdateCapacityProvider", "ecs:DeleteCapacityProvider", "ecs:DescribeCapacityProviders",
            "ecs:TagResource", "ecs:UntagResource", "autoscaling:CreateOrUpdateTags", "autoscaling:DescribeAutoScalingGroups",
        ],
        ["AWS::ECS::Cluster"] =
        [
            "ecs:CreateCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:DeleteCluster", "ecs:DescribeClusters",
            "ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource",
        ],
        ["AWS::ECS::ClusterCapacityProviderAssociations"] = ["ecs:PutClusterCapacityProviders", "ecs:DescribeClusters"],
        ["AWS::ECS::Service"] =
        [
            "ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", "ecs:TagResource", "ecs:UntagResource",
            "ecs:ListTagsForResource", "elasticloadbalancing:DescribeTargetGroups", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        ],
        ["AWS::ECS::TaskDefinition"] =
        [
            "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:TagResource", "ecs:UntagResource",
            "ecs:ListTagsForResource",
        ],
        ["AWS::ElasticLoadBalancingV2::Listener"] =
        [
            "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
            "elasticloadbalancing:DescribeTags",
        ],
        ["AWS::ElasticLoadBalancingV2::ListenerRule"] =
        [
            "elasticloadbalancing:CreateRule", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:DescribeRules",
        ],
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] =
        [
            "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags", "elasticloadbalancing:DescribeTags", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        ],
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] =
        [
            "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
            "elasticloadbalancing:DescribeTags",
        ],
        ["AWS::Events::Rule"] =
        [
            "events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule",
            "events:TagResource", "events:UntagResource",
        ],
        ["AWS::IAM::InstanceProfile"] =
        [
            "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile",
            "iam:RemoveRoleFromInstanceProfile",
        ],
        ["AWS::IAM::OIDCProvider"] =
        [
            "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:GetOpenIDConnectProvider",
            "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
            "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
        ],
        ["AWS::IAM::Role"] =
        [
            "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:AttachRolePolicy",
            "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies", "iam:TagRole", "iam:UntagRole",
        ],
        ["AWS::IAM::RolePolicy"] = ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
        ["AWS::KMS::Alias"] = ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:ListAliases"],
        ["AWS::KMS::Key"] =
        [
            "kms:CreateKey", "kms:DescribeKey", "kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:EnableKeyRotation", "kms:GetKeyRotationStatus",
            "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:ListResourceTags",
        ],
        ["AWS::Logs::LogGroup"] =
        [
            "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
            "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource",
        ],
        // The database stack creates a private hosted zone (Name, HostedZoneConfig.Comment, VPCs, HostedZoneTags): the
        // registry handler's create calls CreateHostedZone with the first VPC (ec2:DescribeVpcs), tags it and waits for
        // the change (GetChange); read lists its tags; update changes the comment; delete lists query-logging configs
        // and deletes the zone. Not granted: the query-logging, extra-VPC and hosted-zone-features calls (properties the
        // blueprint does not set).
        ["AWS::Route53::HostedZone"] =
        [
            "route53:CreateHostedZone", "route53:GetHostedZone", "route53:ListHostedZones", "route53:GetChange", "route53:ChangeTagsForResource",
            "route53:ListTagsForResource", "route53:UpdateHostedZoneComment", "route53:ListQueryLoggingConfigs", "route53:DeleteHostedZone",
            "ec2:DescribeVpcs",
        ],
        ["AWS::Route53::RecordSet"] = ["route53:ChangeResourceRecordSets", "route53:GetChange", "route53:ListResourceRecordSets", "route53:GetHostedZone"],
        ["AWS::S3::Bucket"] =
        [
            "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutEncryptionConfiguration",
            "s3:GetEncryptionConfiguration", "s3:PutBucketVersioning", "s3:GetBucketVersioning", "s3:PutBucketPublicAccessBlock",
            "s3:GetBucketPublicAccessBlock", "s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls", "s3:PutLifecycleConfiguration",
            "s3:GetLifecycleConfiguration", "s3:PutBucketLogging", "s3:GetBucketLogging", "s3:PutBucketObjectLockConfiguration",
            "s3:GetBucketObjectLockConfiguration", "s3:PutBucketTagging", "s3:GetBucketTagging", "s3:PutBucketNotification",
            "s3:GetBucketNotification", "s3:PutBucketAcl", "s3:GetBucketAcl", "s3:PutReplicationConfiguration", "s3:GetReplicationConfiguration",
        ],
        ["AWS::S3::BucketPolicy"] = ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"],
        ["AWS::SNS::Subscription"] = ["sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
        ["AWS::SNS::Topic"] =
        [
            "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource",
            "sns:ListTagsForResource", "kms:DescribeKey",
        ],
        ["AWS::SNS::TopicPolicy"] = ["sns:SetTopicAttributes", "sns:GetTopicAttributes"],
        ["AWS::SSM::Association"] = ["ssm:CreateAssociation", "ssm:UpdateAssociation", "ssm:DeleteAssociation", "ssm:DescribeAssociation"],
        ["AWS::SSM::Document"] =
        [
            "ssm:CreateDocument", "ssm:GetDocument", "ssm:DescribeDocument", "ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion",
            "ssm:DeleteDocument", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource",
        ],
        ["AWS::SSM::MaintenanceWindow"] =
        [
            "ssm:CreateMaintenanceWindow", "ssm:UpdateMaintenanceWindow", "ssm:DeleteMaintenanceWindow", "ssm:GetMaintenanceWindow",
            "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource",
        ],
        ["AWS::SSM::MaintenanceWindowTarget"] =
        [
            "ssm:RegisterTargetWithMaintenanceWindow", "ssm:UpdateMaintenanceWindowTarget", "ssm:DeregisterTargetFromMaintenanceWindow",
            "ssm:DescribeMaintenanceWindowTargets",
        ],
        ["AWS::SSM::MaintenanceWindowTask"] =
        [
            "ssm:RegisterTaskWithMaintenanceWindow", "ssm:UpdateMaintenanceWindowTask", "ssm:DeregisterTaskFromMaintenanceWindow",
            "ssm:GetMaintenanceWindowTask",
        ],
        ["AWS::SSM::PatchBaseline"] =
        [
            "ssm:CreatePatchBaseline", "ssm:UpdatePatchBaseline", "ssm:DeletePatchBaseline", "ssm:GetPatchBaseline",
            "ssm:RegisterPatchBaselineForPatchGroup", "ssm:DeregisterPatchBaselineForPatchGroup", "ssm:AddTagsToResource",
            "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource",
        ],
        ["AWS::Scheduler::Schedule"] = ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"],
        ["AWS::SecretsManager::Secret"] =
        [
            "secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret",
            "secretsmanager:GetRandomPassword", "secretsmanager:TagResource", "secretsmanager:UntagResource", "kms:GenerateDataKey",
            "kms:Decrypt", "kms:Encrypt",
        ],
        ["AWS::WAFv2::LoggingConfiguration"] =
        [
            "wafv2:PutLoggingConfiguration", "wafv2:DeleteLoggingConfiguration", "wafv2:GetLoggingConfiguration",
            "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
        ],
        ["AWS::WAFv2::WebACL"] =
        [
            "wafv2:CreateWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", "wafv2:GetWebACL", "wafv2:ListWebACLs", "wafv2:TagResource",
            "wafv2:UntagResource", "wafv2:ListTagsForResource",
        ],
        ["AWS::WAFv2::WebACLAssociation"] =
        [
            "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource", "elasticloadbalancing:SetWebAcl",
        ],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The actions of every IAM-role and pass-role kind, scoped to the environment's roles instead of <c>*</c>.</summary>
    private static bool IsRoleAction(string action) =>
        action.StartsWith("iam:", StringComparison.Ordinal) && !action.Contains("OpenIDConnectProvider", StringComparison.Ordinal);

    /// <summary>The service role's permission policy for the resource types of the stack set.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="resourceTypes">Every resource type the stack set contains.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="InvalidOperationException">A resource type has no entry in <see cref="ActionsByResourceType"/>.</exception>
    public static PolicyDocument Policy(PlatformNaming naming, IEnumerable<string> resourceTypes)
    {
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in resourceTypes)
        {
            if (type.StartsWith("AWS::SSM::Parameter::Value", StringComparison.Ordinal))
            {
                continue;
            }

            if (!ActionsByResourceType.TryGetValue(type, out var list))
            {
                throw new InvalidOperationException($"The CloudFormation service role has no permissions for resource type '{type}': add its handler permissions to {nameof(CloudFormationServiceRole)}.{nameof(ActionsByResourceType)}.");
            }

            actions.UnionWith(list);
        }

        // Parameters of type AWS::SSM::Parameter::Value<…> are resolved by CloudFormation with the role's credentials.
        actions.Add("ssm:GetParameters");

        var roles = new List<Value<string>>
        {
            Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{CiRoleBuilder.DeployRoleName(naming)}"),
            Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{CiRoleBuilder.PlanRoleName(naming)}"),
            Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role/{RoleName(naming)}"),
            // Every other role (the task roles under /ottkit/<env>/tasks/ included) and instance profile the stacks
            // create lives under the environment's path (PlatformNaming.RolePath): exactly this environment's.
            Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:role{naming.RolePath}*"),
        };
        var profiles = new List<Value<string>> { Fn.Sub($"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:instance-profile{naming.RolePath}*") };

        var policy = new PolicyDocument();
        var general = new PolicyStatement { Sid = "ManageTheStacksResources", Resources = { "*" } };
        var roleStatement = new PolicyStatement { Sid = "ManageOwnRoles", Resources = [.. roles] };
        var profileStatement = new PolicyStatement { Sid = "ManageOwnInstanceProfiles", Resources = [.. profiles] };
        foreach (var action in actions)
        {
            if (action.Contains("InstanceProfile", StringComparison.Ordinal))
            {
                profileStatement.Actions.Add(action);
            }
            else if (IsRoleAction(action))
            {
                roleStatement.Actions.Add(action);
            }
            else
            {
                general.Actions.Add(action);
            }
        }

        policy.Add(general);
        if (roleStatement.Actions.Count > 0)
        {
            policy.Add(roleStatement);
            policy.Add(new PolicyStatement
            {
                Sid = "PassOwnRoles",
                Actions = { "iam:PassRole" },
                Resources = [.. roles],
            });
        }

        if (profileStatement.Actions.Count > 0)
        {
            policy.Add(profileStatement);
        }

        return policy;
    }
}
