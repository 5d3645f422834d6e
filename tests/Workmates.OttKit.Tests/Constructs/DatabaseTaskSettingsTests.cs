using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

public sealed class DatabaseTaskSettingsTests
{
    private static (HashSet<string> Environment, HashSet<string> Secrets, CfnObject Container) Container(string taskDefinition)
    {
        var spec = SampleSpecs.Owl270();
        var template = spec.Synthesize()[$"{spec.Name}-database-backup"].Template;
        var container = (CfnObject)((CfnList)template.Resources[taskDefinition].Properties["ContainerDefinitions"]).Single();
        static HashSet<string> Names(CfnNode list) => [.. ((CfnList)list).Cast<CfnObject>().Select(v => ((CfnScalar)v["Name"]).Text!)];
        return (Names(container["Environment"]), Names(container["Secrets"]), container);
    }

    [Theory]
    [InlineData("BackupTaskDefinition", BackupTaskEnvironment.BackupMode)]
    [InlineData("HealthTaskDefinition", BackupTaskEnvironment.HealthMode)]
    [InlineData("PatchTaskDefinition", BackupTaskEnvironment.PatchMode)]
    public void Each_task_definition_provides_exactly_the_settings_its_mode_declares(string taskDefinition, string mode)
    {
        var (environment, secrets, _) = Container(taskDefinition);
        var declared = BackupTaskEnvironment.Settings(mode).Where(s => s.Value is not null).ToList();

        Assert.Equal(declared.Where(s => !s.IsSecret).Select(s => s.Variable).Order(StringComparer.Ordinal), environment.Order(StringComparer.Ordinal));
        Assert.Equal(declared.Where(s => s.IsSecret).Select(s => s.Variable).Order(StringComparer.Ordinal), secrets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_health_task_runs_the_image_in_health_mode_and_the_backup_task_in_its_default()
    {
        Assert.Equal("[\"health\"]", Container("HealthTaskDefinition").Container["Command"].ToString()?.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));
        Assert.False(Container("BackupTaskDefinition").Container.ContainsKey("Command"));
    }

    [Fact]
    public void A_mode_cannot_read_a_setting_it_does_not_declare()
    {
        var read = BackupTaskEnvironment.Reader(BackupTaskEnvironment.HealthMode, name => "value");

        Assert.Equal("value", read(BackupTaskEnvironment.ConnectionStringVariable));
        var error = Assert.Throws<InvalidOperationException>(() => read(BackupTaskEnvironment.BucketVariable));
        Assert.Contains("does not declare it", error.Message, StringComparison.Ordinal);
    }
}
