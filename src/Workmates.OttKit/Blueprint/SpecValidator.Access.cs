using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint;

/// <summary>Rules of the people's access section.</summary>
internal static partial class SpecValidator
{
    /// <summary>IAM Identity Center permission-set names: at most 32 characters.</summary>
    private const int PermissionSetNameLimit = 32;

    private static void ValidateAccess(EnvironmentSpec spec, Action<string, string, string> add)
    {
        if (spec.Access is not { } access)
        {
            return;
        }

        ValidatePrincipals("access.administrators", access.Administrators, add);
        ValidatePrincipals("access.developers", access.Developers, add);
        ValidatePrincipals("access.readOnly", access.ReadOnly, add);
        if (!access.IdentityCenter && access.Administrators.Count + access.Developers.Count + access.ReadOnly.Count == 0)
        {
            add("access", "no one may assume any of the people's roles.", "List principals under access.administrators, access.developers or access.readOnly, or set access.identityCenter: true.");
        }

        if (access.MaxSessionHours is < 1 or > 12)
        {
            add("access.maxSessionHours", $"{access.MaxSessionHours} hours is outside 1..12 (IAM's limits on a role's maximum session).", "Use 4 (the default) or another value in 1..12.");
        }

        var longest = $"{spec.Name}-administrator";
        if (access.IdentityCenter && longest.Length > PermissionSetNameLimit)
        {
            add("access.identityCenter", $"the permission set '{longest}' would be {longest.Length} characters; Identity Center allows {PermissionSetNameLimit}.", $"Use an environment name of at most {PermissionSetNameLimit - "-administrator".Length} characters, or list account principals instead.");
        }
    }

    private static void ValidatePrincipals(string path, IReadOnlyList<string> principals, Action<string, string, string> add)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < principals.Count; i++)
        {
            var principal = principals[i];
            if (!AccountId().IsMatch(principal) && !PrincipalArn().IsMatch(principal))
            {
                add($"{path}[{i}]", $"'{principal}' is neither a 12-digit account id nor an IAM user or role ARN.", "Write an account id such as 111122223333, or an ARN such as arn:aws:iam::111122223333:user/alice or arn:aws:iam::111122223333:role/ops.");
            }
            else if (!seen.Add(principal))
            {
                add($"{path}[{i}]", $"'{principal}' is listed twice.", "Remove the duplicate.");
            }
        }
    }

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|user/[\w+=,.@/-]{1,512}|role/[\w+=,.@/-]{1,512})$", RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalArn();
}
