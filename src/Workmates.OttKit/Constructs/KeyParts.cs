using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>Statements every customer-managed key policy of the blueprint carries, written once.</summary>
internal static class KeyParts
{
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
