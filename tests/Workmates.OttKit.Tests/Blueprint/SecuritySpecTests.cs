using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class SecuritySpecTests
{
    [Fact]
    public void Defaults_TurnEverythingOnAndKeepLogsAYear()
    {
        var security = new SecuritySpec();
        Assert.True(security.CloudTrail && security.Config && security.AutoRemediateS3PublicAccess);
        Assert.Equal(365, security.LogRetentionDays);
        Assert.Empty(TestSpecs.Valid().DescribeWeakenings());
    }

    [Fact]
    public void Validate_LogRetentionNotACloudWatchValue_ReportsSecurityLogRetentionDays()
    {
        var problem = (TestSpecs.Valid() with { Security = new SecuritySpec { LogRetentionDays = 100 } }).SingleProblemAt("security.logRetentionDays");
        Assert.Contains("100", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RemediationWithoutConfig_ReportsAutoRemediateS3PublicAccess() =>
        (TestSpecs.Valid() with { Security = new SecuritySpec { Config = false } }).SingleProblemAt("security.autoRemediateS3PublicAccess");

    [Fact]
    public void Validate_ConfigAndRemediationBothOff_IsValid() =>
        Assert.Empty((TestSpecs.Valid() with { Security = new SecuritySpec { Config = false, AutoRemediateS3PublicAccess = false } }).Validate());

    [Fact]
    public void DescribeWeakenings_ListsEachTurnedOffPartByPath()
    {
        var spec = TestSpecs.Valid() with { Security = new SecuritySpec { CloudTrail = false, Config = false, AutoRemediateS3PublicAccess = false, LogRetentionDays = 90 } };
        var lines = spec.DescribeWeakenings();
        Assert.Equal(
            ["security.cloudTrail", "security.config", "security.autoRemediateS3PublicAccess", "security.logRetentionDays"],
            lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToArray());
    }

    [Fact]
    public void Builder_Security_SetsTheSection()
    {
        var spec = EnvironmentSpec.Create("demo", "ap-south-1").Security(s => s with { LogRetentionDays = 731 }).Build();
        Assert.Equal(731, spec.Security.LogRetentionDays);
    }

    [Fact]
    public void Parse_SecuritySection_ReadsEveryKey()
    {
        var spec = EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nsecurity:\n  cloudTrail: false\n  config: false\n  autoRemediateS3PublicAccess: false\n  logRetentionDays: 731\n", "d.yaml");
        Assert.Equal(new SecuritySpec { CloudTrail = false, Config = false, AutoRemediateS3PublicAccess = false, LogRetentionDays = 731 }, spec.Security);
    }

    [Fact]
    public void Parse_NoSecuritySection_KeepsTheSecureDefaults() =>
        Assert.Equal(new SecuritySpec(), EnvironmentSpec.Parse("name: d\nregion: ap-south-1\n", "d.yaml").Security);

    [Fact]
    public void Parse_MisspeltSecurityKey_NamesItsPath()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nsecurity:\n  cloudtrail: false\n", "d.yaml"));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("security.cloudtrail", 4), (problem.Path, problem.Line));
    }

    [Fact]
    public void Parse_SecurityRetentionAsText_IsATypeError()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nsecurity:\n  logRetentionDays: forever\n", "d.yaml"));
        Assert.Equal("security.logRetentionDays", Assert.Single(ex.Problems).Path);
    }
}
