using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicaSetHealthCheckOptionsValidatorTests
{
    private static readonly ReplicaSetHealthCheckOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validator.Validate("mongo", new ReplicaSetHealthCheckOptions()).Succeeded);
    }

    [Fact]
    public void Defaults_MatchTheDocumentedThresholds()
    {
        var options = new ReplicaSetHealthCheckOptions();

        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReplicationLagDegraded);
        Assert.Equal(TimeSpan.FromSeconds(240), options.ReplicationLagUnhealthy);
        Assert.Equal(TimeSpan.FromHours(24), options.OplogWindowDegraded);
        Assert.Equal(TimeSpan.FromHours(1), options.OplogWindowUnhealthy);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HeartbeatAgeDegraded);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatAgeUnhealthy);
        Assert.Equal(TimeSpan.FromSeconds(15), options.PrimaryAbsentDegraded);
        Assert.Equal(TimeSpan.FromSeconds(60), options.PrimaryAbsentUnhealthy);
        Assert.Equal(3, options.ElectionsDegraded);
        Assert.Equal(TimeSpan.FromHours(1), options.ElectionWindow);
        Assert.Equal("az", options.AvailabilityZoneTag);
        Assert.Null(options.EnvironmentName);
    }

    [Fact]
    public void Validate_LagThresholdsReversed_NamesBothMembersAndTheFix()
    {
        var options = new ReplicaSetHealthCheckOptions { ReplicationLagDegraded = TimeSpan.FromMinutes(5) };

        var result = Validator.Validate("mongo", options);

        Assert.True(result.Failed);
        Assert.Equal(
            "ReplicaSetHealthCheckOptions[mongo].ReplicationLagUnhealthy (00:04:00) must be greater than ReplicationLagDegraded (00:05:00); raise ReplicationLagUnhealthy or lower ReplicationLagDegraded.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_OplogThresholdsReversed_DegradedMustBeTheLongerWindow()
    {
        var options = new ReplicaSetHealthCheckOptions { OplogWindowUnhealthy = TimeSpan.FromHours(48) };

        var result = Validator.Validate(null, options);

        Assert.Equal(
            "ReplicaSetHealthCheckOptions.OplogWindowDegraded (1.00:00:00) must be greater than OplogWindowUnhealthy (2.00:00:00); raise OplogWindowDegraded or lower OplogWindowUnhealthy.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_ZeroTimeout_AsksForAPositiveDuration()
    {
        var result = Validator.Validate("mongo", new ReplicaSetHealthCheckOptions { Timeout = TimeSpan.Zero });

        Assert.Equal("ReplicaSetHealthCheckOptions[mongo].Timeout is 00:00:00; set it to a positive duration.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryOne()
    {
        var options = new ReplicaSetHealthCheckOptions
        {
            HeartbeatAgeUnhealthy = TimeSpan.FromSeconds(5),
            PrimaryAbsentUnhealthy = TimeSpan.FromSeconds(15),
            ElectionsDegraded = -1,
            AvailabilityZoneTag = " ",
            EnvironmentName = "",
        };

        var failures = Validator.Validate("mongo", options).Failures!.ToList();

        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, failure => failure.Contains("HeartbeatAgeUnhealthy (00:00:05) must be greater than HeartbeatAgeDegraded", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.Contains("PrimaryAbsentUnhealthy (00:00:15) must be greater than PrimaryAbsentDegraded (00:00:15)", StringComparison.Ordinal));
        Assert.Contains("ReplicaSetHealthCheckOptions[mongo].ElectionsDegraded is -1; set it to 0 or more.", failures);
        Assert.Contains(failures, failure => failure.StartsWith("ReplicaSetHealthCheckOptions[mongo].AvailabilityZoneTag is empty", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("ReplicaSetHealthCheckOptions[mongo].EnvironmentName is blank", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NegativeRestartUptime_Rejected()
    {
        var result = Validator.Validate("mongo", new ReplicaSetHealthCheckOptions { RecentRestartUptime = TimeSpan.FromSeconds(-1) });

        Assert.Equal("ReplicaSetHealthCheckOptions[mongo].RecentRestartUptime is -00:00:01; set it to zero or a positive duration.", Assert.Single(result.Failures!));
    }
}
