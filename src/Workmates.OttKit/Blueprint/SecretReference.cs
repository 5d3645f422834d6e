using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint;

/// <summary>Where a secret lives.</summary>
internal enum SecretStore
{
    SecretsManager,
    ParameterStore,
}

/// <summary>
/// A parsed secret reference: a full ARN, or <c>secretsmanager:NAME</c> / <c>ssm:/PATH</c> resolved in the environment's
/// region and account. Region and account are null for the short forms.
/// </summary>
internal sealed partial record SecretReference(SecretStore Store, string? Region, string? Account, string Name, string? JsonKeySuffix)
{
    public static bool TryParse(string text, out SecretReference reference)
    {
        reference = null!;
        var m = SecretsManagerArn().Match(text);
        if (m.Success)
        {
            reference = new SecretReference(SecretStore.SecretsManager, m.Groups["region"].Value, m.Groups["account"].Value, m.Groups["name"].Value, m.Groups["rest"].Success ? m.Groups["rest"].Value : null);
            return true;
        }

        m = ParameterArn().Match(text);
        if (m.Success)
        {
            reference = new SecretReference(SecretStore.ParameterStore, m.Groups["region"].Value, m.Groups["account"].Value, m.Groups["name"].Value, null);
            return true;
        }

        m = ShortForm().Match(text);
        if (m.Success)
        {
            var store = m.Groups["store"].Value == "ssm" ? SecretStore.ParameterStore : SecretStore.SecretsManager;
            reference = new SecretReference(store, null, null, m.Groups["name"].Value.TrimStart('/'), null);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:secretsmanager:(?<region>[a-z0-9-]+):(?<account>\d{12}):secret:(?<name>[A-Za-z0-9/_+=.@-]+)(?<rest>:[^:]*:[^:]*:[^:]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretsManagerArn();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:ssm:(?<region>[a-z0-9-]+):(?<account>\d{12}):parameter/(?<name>[A-Za-z0-9/_.-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterArn();

    [GeneratedRegex(@"^(?<store>secretsmanager|ssm):(?<name>/?[A-Za-z0-9/_+=.@-]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortForm();
}
