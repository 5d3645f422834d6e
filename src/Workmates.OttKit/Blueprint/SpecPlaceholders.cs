using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Finds the values a spec still borrows from documentation or from <c>ottkit new</c>: AWS's example account ids,
/// the scaffold's placeholder certificate ARN, example.com addresses and example hosted zones. They validate and
/// synthesize, but a deployment fails halfway (or alarms are mailed nowhere), so <c>validate</c> and <c>synth</c> list
/// them as warnings and <c>--strict</c> turns them into errors.
/// </summary>
public static partial class SpecPlaceholders
{
    /// <summary>The account ids AWS's documentation uses in examples.</summary>
    private static readonly string[] ExampleAccounts = ["111122223333", "123456789012", "444455556666", "777788889999", "000000000000", "999999999999"];

    /// <summary>Every placeholder in the spec, in spec order, each with its camelCase path and the fix.</summary>
    /// <param name="spec">The spec to look through.</param>
    /// <returns>The warnings; empty when the spec names only real things.</returns>
    public static IReadOnlyList<ValidationProblem> Find(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var warnings = new List<ValidationProblem>();
        Walk(spec, string.Empty, spec.Region, warnings, depth: 0);
        return warnings;
    }

    private static void Walk(object? value, string path, string region, List<ValidationProblem> warnings, int depth)
    {
        // The spec is a tree of small records; the depth bound only guards against a future cyclic type.
        if (value is null || depth > 12)
        {
            return;
        }

        switch (value)
        {
            case string text:
                Check(text, path, region, warnings);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Walk(entry.Value, $"{path}.{entry.Key}", region, warnings, depth + 1);
                }

                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    Walk(item, $"{path}[{index++}]", region, warnings, depth + 1);
                }

                return;
        }

        var type = value.GetType();
        if (type.Namespace != typeof(EnvironmentSpec).Namespace || type.IsEnum || type.IsPrimitive)
        {
            return;
        }

        // Settable (init) properties are what a spec file writes; computed ones would repeat them under other names.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            Walk(property.GetValue(value), path.Length == 0 ? name : $"{path}.{name}", region, warnings, depth + 1);
        }
    }

    private static void Check(string text, string path, string region, List<ValidationProblem> warnings)
    {
        if (ScaffoldCertificate().IsMatch(text))
        {
            warnings.Add(new ValidationProblem(
                path,
                $"'{text}' is the placeholder certificate ARN 'ottkit new' writes: the HTTPS listener fails to deploy with it.",
                $"Name a real ACM certificate in {region} (aws acm list-certificates --region {region}), or set loadBalancer.domain and loadBalancer.hostedZoneId instead."));
            return;
        }

        if (ExampleAccount().Matches(text).FirstOrDefault(m => ExampleAccounts.Contains(m.Value, StringComparer.Ordinal)) is { } account)
        {
            warnings.Add(new ValidationProblem(
                path,
                $"'{text}' uses {account.Value}, an example account id from AWS's documentation.",
                "Use your own 12-digit account id (aws sts get-caller-identity) or the real ARN."));
            return;
        }

        if (ExampleDomain().IsMatch(text))
        {
            warnings.Add(new ValidationProblem(
                path,
                $"'{text}' uses an example domain (reserved by RFC 2606 and RFC 6761): nothing is delivered to it and it never resolves.",
                "Use an address or a domain you own."));
            return;
        }

        if (ExampleHostedZone().IsMatch(text))
        {
            warnings.Add(new ValidationProblem(
                path,
                $"'{text}' looks like an example id from AWS's documentation.",
                "Use the real id (for a hosted zone: aws route53 list-hosted-zones-by-name --dns-name <your domain>)."));
        }
    }

    [GeneratedRegex(@":certificate/0{8}-0{4}-0{4}-0{4}-0{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScaffoldCertificate();

    [GeneratedRegex(@"(?<![0-9])[0-9]{12}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ExampleAccount();

    [GeneratedRegex(@"(^|[@./])((example\.(com|net|org))|([a-z0-9-]+\.)?(example|test|invalid))\.?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ExampleDomain();

    [GeneratedRegex(@"^Z[0-9A-Z]*EXAMPLE$|^Z0{6,}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExampleHostedZone();
}
