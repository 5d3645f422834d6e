using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

/// <summary>One failing spec per rule of the media, monitoring and ci sections, each with its exact path.</summary>
public sealed class EdgeSpecValidationTests
{
    private const string EdgeCertificate = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

    private static EnvironmentSpec Full() => TestSpecs.Valid() with
    {
        Media = new MediaSpec { Aliases = ["media.example.com"], CertificateArn = EdgeCertificate },
        Monitoring = new MonitoringSpec { AlarmEmails = ["oncall@example.com"] },
        Ci = new CiSpec { Owner = "demo-org", Repositories = ["demo-platform", "web"], Environments = ["demo"] },
    };

    private static EnvironmentSpec Media(Func<MediaSpec, MediaSpec> change) => Full() with { Media = change(Full().Media!) };

    private static EnvironmentSpec Monitoring(Func<MonitoringSpec, MonitoringSpec> change) => Full() with { Monitoring = change(Full().Monitoring!) };

    private static EnvironmentSpec Thresholds(Func<AlarmThresholds, AlarmThresholds> change) => Monitoring(m => m with { Thresholds = change(m.Thresholds) });

    private static EnvironmentSpec Ci(Func<CiSpec, CiSpec> change) => Full() with { Ci = change(Full().Ci!) };

    [Fact]
    public void Full_spec_with_every_new_section_is_valid() => Assert.Empty(Full().Validate());

    [Fact]
    public void Media_certificate_outside_us_east_1_is_refused()
    {
        var problem = Media(m => m with { CertificateArn = TestSpecs.Certificate }).SingleProblemAt("media.certificateArn");
        Assert.Contains("us-east-1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Media_certificate_that_is_not_an_acm_arn_is_refused() =>
        Media(m => m with { CertificateArn = "arn:aws:iam::123456789012:server-certificate/x" }).SingleProblemAt("media.certificateArn");

    [Fact]
    public void Media_certificate_of_another_account_is_refused() =>
        (Media(m => m with { CertificateArn = EdgeCertificate.Replace("123456789012", "210987654321", StringComparison.Ordinal) }) with { AccountId = "123456789012" })
            .SingleProblemAt("media.certificateArn");

    [Fact]
    public void Media_aliases_without_a_certificate_source_are_refused() =>
        Media(m => m with { CertificateArn = null }).SingleProblemAt("media.certificateArn");

    [Fact]
    public void Media_certificate_without_aliases_is_refused() =>
        Media(m => m with { Aliases = [] }).SingleProblemAt("media.aliases");

    [Fact]
    public void Media_alias_that_is_not_a_host_name_is_refused() =>
        Media(m => m with { Aliases = ["media.example.com", "Not A Host"] }).SingleProblemAt("media.aliases[1]");

    [Fact]
    public void Media_duplicate_alias_is_refused() =>
        Media(m => m with { Aliases = ["media.example.com", "media.example.com"] }).SingleProblemAt("media.aliases[1]");

    [Fact]
    public void Media_hosted_zone_and_certificate_together_are_refused() =>
        Media(m => m with { HostedZoneId = "Z0123456789ABCDEFGHIJ" }).SingleProblemAt("media.hostedZoneId");

    [Fact]
    public void Media_malformed_hosted_zone_is_refused() =>
        Media(m => m with { CertificateArn = null, HostedZoneId = "zone-1" }).SingleProblemAt("media.hostedZoneId");

    [Fact]
    public void Media_hosted_zone_instead_of_a_certificate_is_valid() =>
        Assert.Empty(Media(m => m with { CertificateArn = null, HostedZoneId = "Z0123456789ABCDEFGHIJ" }).Validate());

    [Fact]
    public void Media_in_a_region_cloudfront_cannot_log_to_is_refused() =>
        (Full() with { Region = "me-south-1", LoadBalancer = new LoadBalancerSpec { CertificateArn = TestSpecs.Certificate.Replace("ap-south-1", "me-south-1", StringComparison.Ordinal) } })
            .SingleProblemAt("media");

    [Fact]
    public void Media_unknown_price_class_is_refused() =>
        Media(m => m with { PriceClass = "PriceClass_Cheap" }).SingleProblemAt("media.priceClass");

    [Fact]
    public void Media_rate_limit_below_the_waf_minimum_is_refused() =>
        Media(m => m with { RateLimitPer5Minutes = 99 }).SingleProblemAt("media.rateLimitPer5Minutes");

    [Fact]
    public void Media_log_retention_that_cloudwatch_does_not_offer_is_refused() =>
        Media(m => m with { LogRetentionDays = 100 }).SingleProblemAt("media.logRetentionDays");

    [Fact]
    public void Media_without_aliases_is_listed_as_a_weakening() =>
        Assert.Contains(Media(m => m with { Aliases = [], CertificateArn = null }).DescribeWeakenings(), l => l.StartsWith("media.aliases:", StringComparison.Ordinal));

    [Fact]
    public void Monitoring_without_an_email_is_refused() =>
        Monitoring(m => m with { AlarmEmails = [] }).SingleProblemAt("monitoring.alarmEmails");

    [Fact]
    public void Monitoring_malformed_email_is_refused() =>
        Monitoring(m => m with { AlarmEmails = ["oncall@example.com", "oncall at example"] }).SingleProblemAt("monitoring.alarmEmails[1]");

    [Fact]
    public void Monitoring_duplicate_email_is_refused() =>
        Monitoring(m => m with { AlarmEmails = ["oncall@example.com", "OnCall@example.com"] }).SingleProblemAt("monitoring.alarmEmails[1]");

    [Fact]
    public void Monitoring_5xx_percentage_above_100_is_refused() =>
        Thresholds(t => t with { LoadBalancer5xxPercent = 101 }).SingleProblemAt("monitoring.thresholds.loadBalancer5xxPercent");

    [Fact]
    public void Monitoring_zero_target_5xx_threshold_is_refused() =>
        Thresholds(t => t with { Target5xxPerMinute = 0 }).SingleProblemAt("monitoring.thresholds.target5xxPerMinute");

    [Fact]
    public void Monitoring_response_time_over_a_minute_is_refused() =>
        Thresholds(t => t with { TargetResponseTimeP95Milliseconds = 60_001 }).SingleProblemAt("monitoring.thresholds.targetResponseTimeP95Milliseconds");

    [Fact]
    public void Monitoring_host_reservation_of_zero_is_refused() =>
        Thresholds(t => t with { HostReservationPercent = 0 }).SingleProblemAt("monitoring.thresholds.hostReservationPercent");

    [Fact]
    public void Monitoring_volume_throughput_beyond_gp3_is_refused() =>
        Thresholds(t => t with { DataVolumeThroughputMiBps = 1001 }).SingleProblemAt("monitoring.thresholds.dataVolumeThroughputMiBps");

    [Fact]
    public void Ci_malformed_owner_is_refused() =>
        Ci(c => c with { Owner = "-bad-" }).SingleProblemAt("ci.owner");

    [Fact]
    public void Ci_without_repositories_is_refused() =>
        Ci(c => c with { Repositories = [] }).SingleProblemAt("ci.repositories");

    [Fact]
    public void Ci_repository_with_an_owner_or_wildcard_is_refused() =>
        Ci(c => c with { Repositories = ["web", "demo-org/*"] }).SingleProblemAt("ci.repositories[1]");

    [Fact]
    public void Ci_duplicate_repository_is_refused() =>
        Ci(c => c with { Repositories = ["web", "web"] }).SingleProblemAt("ci.repositories[1]");

    [Fact]
    public void Ci_wildcard_branch_is_refused() =>
        Ci(c => c with { Branches = ["release/*"] }).SingleProblemAt("ci.branches[0]");

    [Fact]
    public void Ci_malformed_environment_is_refused() =>
        Ci(c => c with { Environments = ["prod env"] }).SingleProblemAt("ci.environments[0]");

    [Fact]
    public void Ci_without_branches_or_environments_is_refused() =>
        Ci(c => c with { Branches = [], Environments = [] }).SingleProblemAt("ci.branches");

    [Fact]
    public void Ci_too_many_subjects_for_a_trust_policy_is_refused() =>
        Ci(c => c with { Repositories = [.. Enumerable.Range(1, 11).Select(i => $"repo-{i}")] }).SingleProblemAt("ci.repositories");

    [Fact]
    public void Ci_existing_provider_that_is_not_githubs_is_refused() =>
        Ci(c => c with { ExistingOidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/accounts.google.com" }).SingleProblemAt("ci.existingOidcProviderArn");

    [Fact]
    public void Ci_existing_provider_of_another_account_is_refused() =>
        (Ci(c => c with { ExistingOidcProviderArn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com" }) with { AccountId = "123456789012" })
            .SingleProblemAt("ci.existingOidcProviderArn");

    [Fact]
    public void Ci_malformed_artifacts_bucket_is_refused() =>
        Ci(c => c with { ArtifactsBucketName = "Artifacts_Bucket" }).SingleProblemAt("ci.artifactsBucketName");

    [Fact]
    public void New_sections_load_from_yaml()
    {
        const string Yaml = """
            name: demo
            region: ap-south-1
            loadBalancer: { certificateArn: arn:aws:acm:ap-south-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b }
            services: [{ name: web }]
            media: { aliases: [media.example.com], hostedZoneId: Z0123456789ABCDEFGHIJ, priceClass: PriceClass_100, rateLimitPer5Minutes: 500, logRetentionDays: 731 }
            monitoring: { alarmEmails: [oncall@example.com], thresholds: { loadBalancer5xxPercent: 2, targetResponseTimeP95Milliseconds: 800 } }
            ci: { owner: demo-org, repositories: [demo-platform], branches: [main], environments: [demo], existingOidcProviderArn: arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com }
            """;

        var spec = EnvironmentSpec.Parse(Yaml, "demo.yaml");

        Assert.Equal(("Z0123456789ABCDEFGHIJ", "PriceClass_100", 500, 731), (spec.Media!.HostedZoneId, spec.Media.PriceClass, spec.Media.RateLimitPer5Minutes, spec.Media.LogRetentionDays));
        Assert.Equal((2, 800, 25), (spec.Monitoring!.Thresholds.LoadBalancer5xxPercent, spec.Monitoring.Thresholds.TargetResponseTimeP95Milliseconds, spec.Monitoring.Thresholds.Target5xxPerMinute));
        Assert.Equal(["demo"], spec.Ci!.Environments);
        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void Unknown_key_in_a_new_section_is_a_load_error()
    {
        const string Yaml = """
            name: demo
            region: ap-south-1
            monitoring: { alarmEmail: oncall@example.com }
            """;

        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(Yaml, "demo.yaml"));
        Assert.Contains(ex.Problems, p => p.Path == "monitoring.alarmEmail");
    }
}
