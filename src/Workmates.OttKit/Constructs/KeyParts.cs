using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>Statements every customer-managed key policy of the blueprint carries, written once.</summary>
internal static class KeyParts
{
    /// <summary>
    /// The account administers the key (<c>kms:*</c> to its root), so IAM policies decide who manages it; without this
    /// statement a key policy can lock everyone out.
    /// </summary>
    public static PolicyStatement AccountAdministers() => new()
    {
        Sid = "AccountAdministers",
        Principal = PolicyPrincipal.Aws(Fn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")),
        Actions = { "kms:*" },
        Resources = { "*" },
    };

    /// <summary>
    /// Denies <c>kms:CreateGrant</c> unless the grant is for an AWS resource or an AWS service asks (Control Tower
    /// CT.KMS.PR.3): EBS, ECR, AWS Backup and CloudWatch Logs still create the grants they need, a principal cannot
    /// hand the key to someone else.
    /// </summary>
    public static PolicyStatement DenyGrantsExceptForAwsResources() => new()
    {
        Sid = "DenyGrantsExceptForAwsResources",
        Effect = PolicyEffect.Deny,
        Principal = PolicyPrincipal.Anyone,
        Actions = { "kms:CreateGrant" },
        Resources = { "*" },
        Conditions = new CfnObject
        {
            ["BoolIfExists"] = new CfnObject { ["kms:GrantIsForAWSResource"] = "false", ["aws:PrincipalIsAWSService"] = "false" },
        },
    };
}
