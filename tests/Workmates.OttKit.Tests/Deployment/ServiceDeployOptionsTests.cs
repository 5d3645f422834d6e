using System.ComponentModel.DataAnnotations;
using Workmates.OttKit.Deployment;

namespace Workmates.OttKit.Tests.Deployment;

public sealed class ServiceDeployOptionsTests
{
    [Fact]
    public void Ctor_Defaults_ComeFromTheConstants()
    {
        var options = new ServiceDeployOptions();

        Assert.Equal(TimeSpan.FromMinutes(30), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.InitialPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxPollInterval);
        Assert.Equal(1.5, options.PollBackoffFactor);
        Assert.False(options.RollbackOnTimeout);
        Assert.Equal(InFlightDeploymentPolicy.Refuse, options.WhenDeploymentInProgress);
        Assert.Equal(TimeSpan.FromSeconds(20), options.HealthCheckInterval);
        Assert.False(options.FailFast);
        Assert.Equal(3, options.FailFastUnhealthyChecks);
        options.Validate();
    }

    [Fact]
    public void Validate_EveryMemberBad_ListsEveryOneInOneException()
    {
        var options = new ServiceDeployOptions
        {
            Timeout = TimeSpan.Zero,
            InitialPollInterval = TimeSpan.FromMilliseconds(10),
            MaxPollInterval = TimeSpan.FromMilliseconds(5),
            PollBackoffFactor = 0.5,
            HealthCheckInterval = TimeSpan.Zero,
            FailFastUnhealthyChecks = 0,
            WhenDeploymentInProgress = (InFlightDeploymentPolicy)7,
            ContainerName = string.Empty,
            Cpu = "half",
        };
        options.Environment[" "] = "x";

        var error = Assert.Throws<ValidationException>(options.Validate);

        Assert.Equal(
            """
            The ServiceDeployOptions are invalid:
            - Timeout: 00:00:00 is out of range; use a value from 00:00:01 to 1.00:00:00.
            - InitialPollInterval: 00:00:00.0100000 is too short; use at least 00:00:01.
            - MaxPollInterval: 00:00:00.0050000 is shorter than InitialPollInterval (00:00:00.0100000); raise it.
            - PollBackoffFactor: 0.5 is out of range; use a value from 1 to 10.
            - HealthCheckInterval: 00:00:00 is too short; use at least 00:00:01.
            - FailFastUnhealthyChecks: 0 is out of range; use a value from 1 to 20.
            - WhenDeploymentInProgress: 7 is not a policy; use Refuse or Wait.
            - ContainerName: is empty; leave it null to pick the task definition's container.
            - Cpu: 'half' is not a whole number; use ECS units such as "512".
            - Environment/Secrets: the name ' ' is blank; every variable needs a name.
            """.ReplaceLineEndings("\n"),
            error.Message.ReplaceLineEndings("\n"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_InvalidOptions_ThrowsBeforeAnyCall()
    {
        await using var bed = await DeployTestBed.StartAsync();

        await Assert.ThrowsAsync<ValidationException>(() => bed.NewDeployer().DeployImageAsync(
            "prod", "web", "registry.example/web:2", new ServiceDeployOptions { Timeout = TimeSpan.Zero }, TestContext.Current.CancellationToken));

        Assert.Empty(bed.Simulator.Requests.Entries);
    }
}
