using Workmates.OttKit.Blueprint;
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

        var error = Assert.Throws<OttKitValidationException>(options.Validate);

        Assert.Equal(
            """
            The ServiceDeployOptions are invalid:
            - ServiceDeployOptions.Timeout is 00:00:00, out of range; use a value from 00:00:01 to 1.00:00:00.
            - ServiceDeployOptions.InitialPollInterval is 00:00:00.0100000, too short; use at least 00:00:01.
            - ServiceDeployOptions.MaxPollInterval (00:00:00.0050000) is shorter than InitialPollInterval (00:00:00.0100000); raise MaxPollInterval or lower InitialPollInterval.
            - ServiceDeployOptions.PollBackoffFactor is 0.5, out of range; use a value from 1 to 10.
            - ServiceDeployOptions.HealthCheckInterval is 00:00:00, too short; use at least 00:00:01.
            - ServiceDeployOptions.FailFastUnhealthyChecks is 0, out of range; use a value from 1 to 20.
            - ServiceDeployOptions.WhenDeploymentInProgress is 7, not a policy; use Refuse or Wait.
            - ServiceDeployOptions.ContainerName is empty; leave it null to pick the task definition's container.
            - ServiceDeployOptions.Cpu is 'half', not a whole number; use ECS units such as "512".
            - ServiceDeployOptions.Environment has the blank name ' '; give every variable a name.
            """.ReplaceLineEndings("\n"),
            error.Message.ReplaceLineEndings("\n"));
        Assert.Equal(10, error.Problems.Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DeployImageAsync_InvalidOptions_ThrowsBeforeAnyCall()
    {
        await using var bed = await DeployTestBed.StartAsync();

        await Assert.ThrowsAsync<OttKitValidationException>(() => bed.NewDeployer().DeployImageAsync(
            "prod", "web", "registry.example/web:2", new ServiceDeployOptions { Timeout = TimeSpan.Zero }, TestContext.Current.CancellationToken));

        Assert.Empty(bed.Simulator.Requests.Entries);
    }
}
