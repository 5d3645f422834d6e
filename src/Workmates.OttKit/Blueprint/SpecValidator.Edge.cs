using System.Text.RegularExpressions;

namespace Workmates.OttKit.Blueprint;

/// <summary>Rules of the <c>media</c>, <c>monitoring</c> and <c>ci</c> sections.</summary>
internal static partial class SpecValidator
{
    /// <summary>IAM allows 2048 characters in a trust policy by default; about 30 subjects fit with room to spare.</summary>
    internal const int MaxCiSubjects = 30;

    private static void ValidateEdgeMonitoringAndCi(EnvironmentSpec spec, Action<string, string, string> add)
    {
        if (spec.Media is { } media)
        {
            ValidateMedia(spec, media, add);
        }

        if (spec.Monitoring is { } monitoring)
        {
            ValidateMonitoring(monitoring, add);
        }

        if (spec.Ci is { } ci)
        {
            ValidateCi(spec, ci, add);
        }
    }

    /// <summary>Regions whose S3 buckets CloudFront standard logging cannot deliver to (the media log bucket lives in the home region).</summary>
    private static readonly HashSet<string> NoCloudFrontLogRegions = new(StringComparer.Ordinal)
    {
        "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ca-west-1", "eu-central-2",
        "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1",
    };

    private static void ValidateMedia(EnvironmentSpec spec, MediaSpec media, Action<string, string, string> add)
    {
        if (NoCloudFrontLogRegions.Contains(spec.Region))
        {
            add("media", $"CloudFront standard logging cannot deliver to a bucket in {spec.Region}, where the media log bucket would be.", "Run media delivery from an environment in a region CloudFront logs to (for example ap-south-1 or eu-west-1), or remove the media section.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < media.Aliases.Count; i++)
        {
            var alias = media.Aliases[i];
            if (!DomainName().IsMatch(alias))
            {
                add($"media.aliases[{i}]", $"'{alias}' is not a host name.", "Use a lowercase DNS name such as 'media.example.com' (a leading '*.' is allowed).");
            }
            else if (!seen.Add(alias))
            {
                add($"media.aliases[{i}]", $"'{alias}' is listed twice.", "Remove the duplicate.");
            }
        }

        if (media.HostedZoneId is not null)
        {
            if (!HostedZoneId().IsMatch(media.HostedZoneId))
            {
                add("media.hostedZoneId", $"'{media.HostedZoneId}' is not a Route 53 hosted zone id.", "Copy the zone id from Route 53 (it starts with Z).");
            }

            if (media.CertificateArn is not null)
            {
                add("media.hostedZoneId", "both a certificate ARN and a hosted zone are set; only one certificate source can be used.", "Remove media.certificateArn to have the edge stack request a certificate, or remove media.hostedZoneId.");
            }

            if (media.Aliases.Count == 0)
            {
                add("media.aliases", "a hosted zone is set but there is no alias to request a certificate for.", "List the host names (in that zone) the distribution answers to, or remove media.hostedZoneId.");
            }
        }

        if (media.CertificateArn is null)
        {
            if (media.Aliases.Count > 0 && media.HostedZoneId is null)
            {
                add("media.certificateArn", "aliases are set but there is no certificate: CloudFront cannot serve HTTPS for them.", "Set the ARN of an ACM certificate in us-east-1 covering every alias, or set media.hostedZoneId to have one requested.");
            }
        }
        else
        {
            var m = CertificateArn().Match(media.CertificateArn);
            if (!m.Success)
            {
                add("media.certificateArn", $"'{media.CertificateArn}' is not an ACM certificate ARN.", "Copy the ARN from ACM in us-east-1: arn:aws:acm:us-east-1:<account>:certificate/<uuid>.");
            }
            else
            {
                if (!string.Equals(m.Groups["region"].Value, "us-east-1", StringComparison.Ordinal))
                {
                    add("media.certificateArn", $"the certificate is in {m.Groups["region"].Value}, but CloudFront only uses certificates from us-east-1.", "Request or import the certificate in us-east-1 (N. Virginia) and use that ARN.");
                }

                if (spec.AccountId is not null && !string.Equals(m.Groups["account"].Value, spec.AccountId, StringComparison.Ordinal))
                {
                    add("media.certificateArn", $"the certificate belongs to account {m.Groups["account"].Value}, not {spec.AccountId}.", "Use a certificate from the environment's account.");
                }
            }

            if (media.Aliases.Count == 0)
            {
                add("media.aliases", "a certificate is set but no alias uses it.", "List the host names the certificate covers, or remove media.certificateArn.");
            }
        }

        if (!MediaSpec.PriceClasses.Contains(media.PriceClass, StringComparer.Ordinal))
        {
            add("media.priceClass", $"'{media.PriceClass}' is not a CloudFront price class.", $"Use one of {string.Join(", ", MediaSpec.PriceClasses)}.");
        }

        if (media.RateLimitPer5Minutes is < 100 or > 2_000_000_000)
        {
            add("media.rateLimitPer5Minutes", $"{media.RateLimitPer5Minutes} is outside WAF's rate-limit range 100–2,000,000,000.", "Use at least 100 requests per 5 minutes (the default is 10000).");
        }

        if (!LogRetentionValues.Contains(media.LogRetentionDays))
        {
            add("media.logRetentionDays", $"{media.LogRetentionDays} is not a CloudWatch Logs retention value.", $"Use one of {string.Join(", ", LogRetentionValues)} (365 is the default).");
        }
    }

    private static void ValidateMonitoring(MonitoringSpec monitoring, Action<string, string, string> add)
    {
        if (monitoring.AlarmEmails.Count == 0)
        {
            add("monitoring.alarmEmails", "no address receives the alarms.", "List at least one e-mail address (an on-call mailbox or a paging service's e-mail integration).");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < monitoring.AlarmEmails.Count; i++)
        {
            var email = monitoring.AlarmEmails[i];
            if (!EmailAddress().IsMatch(email))
            {
                add($"monitoring.alarmEmails[{i}]", $"'{email}' is not an e-mail address.", "Write an address such as 'oncall@example.com'.");
            }
            else if (!seen.Add(email))
            {
                add($"monitoring.alarmEmails[{i}]", $"'{email}' is listed twice (it would get every alarm twice).", "Remove the duplicate.");
            }
        }

        var t = monitoring.Thresholds;
        Range("monitoring.thresholds.loadBalancer5xxPercent", t.LoadBalancer5xxPercent, 1, 100, "percent of requests");
        Range("monitoring.thresholds.target5xxPerMinute", t.Target5xxPerMinute, 1, 1_000_000, "5xx answers per minute");
        Range("monitoring.thresholds.targetResponseTimeP95Milliseconds", t.TargetResponseTimeP95Milliseconds, 1, 60_000, "milliseconds");
        Range("monitoring.thresholds.hostReservationPercent", t.HostReservationPercent, 1, 100, "percent of the cluster");
        Range("monitoring.thresholds.dataVolumeThroughputMiBps", t.DataVolumeThroughputMiBps, 1, 1000, "MiB/s (gp3 tops out at 1000)");

        void Range(string path, int value, int min, int max, string unit)
        {
            if (value < min || value > max)
            {
                add(path, $"{value} is outside {min}–{max} {unit}.", $"Use a value between {min} and {max}, or remove it for the default.");
            }
        }
    }

    private static void ValidateCi(EnvironmentSpec spec, CiSpec ci, Action<string, string, string> add)
    {
        if (!GitHubOwner().IsMatch(ci.Owner))
        {
            add("ci.owner", $"'{ci.Owner}' is not a GitHub organization or user name.", "Use letters, digits and single hyphens, up to 39 characters.");
        }

        if (ci.Repositories.Count == 0)
        {
            add("ci.repositories", "no repository may deploy, so the roles would be unusable.", "List the environment repository and each service's repository (names without the owner).");
        }

        CheckNames("ci.repositories", ci.Repositories, GitHubRepository(), "a repository name (letters, digits, '.', '_', '-', without the owner)");
        CheckNames("ci.branches", ci.Branches, GitBranch(), "a branch name (no wildcards: trust must match exactly)");
        CheckNames("ci.environments", ci.Environments, GitHubEnvironment(), "a GitHub environment name (letters, digits, '.', '_', '-')");

        if (ci.Branches.Count == 0 && ci.Environments.Count == 0)
        {
            add("ci.branches", "neither a branch nor a GitHub environment may deploy, so the deploy role would be unusable.", "List the deploying branch (for example 'main') or the GitHub environment of the deploy jobs.");
        }

        var subjects = ci.Repositories.Count * (ci.Branches.Count + ci.Environments.Count + 1);
        if (subjects > MaxCiSubjects)
        {
            add("ci.repositories", $"{subjects} OIDC subjects (repositories × (branches + environments + pull requests)) would overflow the roles' trust policies.", $"Keep it at {MaxCiSubjects} or fewer: fewer repositories, or deploy through one GitHub environment instead of several branches.");
        }

        if (ci.ExistingOidcProviderArn is { } provider)
        {
            var m = OidcProviderArn().Match(provider);
            if (!m.Success)
            {
                add("ci.existingOidcProviderArn", $"'{provider}' is not the ARN of a GitHub Actions OIDC provider.", "Use arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com (see IAM > Identity providers), or remove it to create one.");
            }
            else if (spec.AccountId is not null && !string.Equals(m.Groups["account"].Value, spec.AccountId, StringComparison.Ordinal))
            {
                add("ci.existingOidcProviderArn", $"the provider belongs to account {m.Groups["account"].Value}, not {spec.AccountId}.", "Use the provider of the environment's account.");
            }
        }

        if (ci.ArtifactsBucketName is { } bucket && !BucketName().IsMatch(bucket))
        {
            add("ci.artifactsBucketName", $"'{bucket}' is not an S3 bucket name.", "Use 3–63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (ci.Tool.Version is { } version && !NuGetVersion().IsMatch(version))
        {
            add("ci.tool.version", $"'{version}' is not an exact NuGet version.", "Pin an exact version such as '1.2.0' (ranges and floating versions are not allowed).");
        }

        if (ci.Tool.Feed is { } feed
            && (!Uri.TryCreate(feed, UriKind.Absolute, out var feedUri) || feedUri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(feedUri.UserInfo)
                || feed.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\')))
        {
            add("ci.tool.feed", $"'{feed}' is not an https:// NuGet feed URL.", "Use the feed's v3 service index (https://…/index.json) without credentials, or remove it for the public NuGet gallery.");
        }

        void CheckNames(string path, IReadOnlyList<string> names, Regex pattern, string what)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                if (!pattern.IsMatch(names[i]) || names[i].Contains("..", StringComparison.Ordinal))
                {
                    add($"{path}[{i}]", $"'{names[i]}' is not {what}.", $"Write {what}.");
                }
                else if (!seen.Add(names[i]))
                {
                    add($"{path}[{i}]", $"'{names[i]}' is listed twice.", "Remove the duplicate.");
                }
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EmailAddress();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubOwner();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubRepository();

    [GeneratedRegex("^[A-Za-z0-9._/-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex GitBranch();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubEnvironment();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:iam::(?<account>\d{12}):oidc-provider/token\.actions\.githubusercontent\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex OidcProviderArn();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NuGetVersion();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
