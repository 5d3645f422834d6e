using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Json;
using Workmates.OttKit.Pipelines;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Pipelines;

/// <summary>security.imageScanGate from the spec to the workflows and the CI deploy role.</summary>
public sealed class ScanGateSpecTests
{
    private const string Yaml = """
        name: demo
        region: ap-south-1
        loadBalancer:
          certificateArn: arn:aws:acm:ap-south-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
        security:
          imageScanGate:
            failOn: HIGH
            timeoutMinutes: 30
            allow:
              - { id: CVE-2024-3094, until: 2027-01-31, reason: no fixed xz in the base image yet }
        services:
          - name: web
        """;

    [Fact]
    public void Spec_reads_the_severity_the_timeout_and_the_allowances()
    {
        var gate = EnvironmentSpec.Parse(Yaml, "demo.yaml").Security.ImageScanGate;

        Assert.Equal(FindingSeverity.High, gate.FailOn);
        Assert.Equal(30, gate.TimeoutMinutes);
        var allowance = Assert.Single(gate.Allow);
        Assert.Equal(("CVE-2024-3094", new DateOnly(2027, 1, 31)), (allowance.Id, allowance.Until));
    }

    [Fact]
    public void Spec_default_fails_on_critical_and_allows_nothing()
    {
        var gate = new SecuritySpec().ImageScanGate;

        Assert.Equal(FindingSeverity.Critical, gate.FailOn);
        Assert.Empty(gate.Allow);
    }

    [Fact]
    public void Spec_with_a_malformed_date_names_the_field()
    {
        var error = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(Yaml.Replace("2027-01-31", "31/01/2027", StringComparison.Ordinal), "demo.yaml"));

        Assert.Contains("security.imageScanGate.allow[0].until", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_requires_a_reason_and_an_end_date_for_every_allowance()
    {
        var spec = TestSpecs.Valid() with
        {
            Security = new SecuritySpec { ImageScanGate = new ImageScanGateSpec { Allow = [new ScanFindingAllowance { Id = "CVE-2024-3094" }] } },
        };

        var paths = spec.Validate().Select(p => p.Path).ToList();

        Assert.Contains("security.imageScanGate.allow[0].until", paths);
        Assert.Contains("security.imageScanGate.allow[0].reason", paths);
    }

    [Fact]
    public void Every_service_workflow_runs_the_scan_gate_after_the_push_and_before_the_deploy()
    {
        var failures = new List<string>();
        foreach (var (label, file) in PipelineVariants.Files().Where(f => f.File.Kind == WorkflowKind.ServiceDeploy))
        {
            var steps = YamlJson.Parse(file.Content)!["jobs"]!["build-and-deploy"]!["steps"]!.AsArray()
                .Select(s => (Name: s!["name"]!.GetValue<string>(), Run: s["run"]?.GetValue<string>() ?? string.Empty)).ToList();
            var push = steps.FindIndex(s => s.Name.StartsWith("Build and push", StringComparison.Ordinal));
            var gate = steps.FindIndex(s => s.Run.Contains("ottkit image scan-gate", StringComparison.Ordinal));
            var deploy = steps.FindIndex(s => s.Name.StartsWith("Deploy", StringComparison.Ordinal));
            if (push < 0 || gate <= push || deploy <= gate || !steps[gate].Run.Contains($"--service {file.Service}", StringComparison.Ordinal))
            {
                failures.Add($"{label}: push {push}, gate {gate}, deploy {deploy}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Ci_deploy_role_may_read_scan_findings_of_the_environments_repositories_only()
    {
        var spec = TestSpecs.Valid() with
        {
            AccountId = "123456789012",
            Ci = new CiSpec { Owner = "demo-org", Repositories = ["demo-platform"] },
        };
        var role = spec.Synthesize()[$"{spec.Name}-ci"].Template.Resources["DeployRole"];
        var statements = ((CfnList)((CfnObject)((CfnObject)((CfnList)role.Properties["Policies"])[0])["PolicyDocument"])["Statement"]).Cast<CfnObject>();

        var scan = statements.Single(s => s["Action"].ToString()!.Contains("ecr:DescribeImageScanFindings", StringComparison.Ordinal));

        Assert.Contains(":repository/demo/web", scan["Resource"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"*\"", scan["Resource"].ToString(), StringComparison.Ordinal);
    }
}
