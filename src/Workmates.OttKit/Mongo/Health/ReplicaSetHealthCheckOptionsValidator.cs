namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// Validates <see cref="ReplicaSetHealthCheckOptions"/> and lists every bad member at once, each with its fix. Written by hand
/// because most rules relate two members (degraded before unhealthy), which data annotations cannot express.
/// </summary>
internal sealed class ReplicaSetHealthCheckOptionsValidator : OptionsRules<ReplicaSetHealthCheckOptions>
{
    protected override void Check(ReplicaSetHealthCheckOptions options, OptionsProblems problems)
    {
        RequirePositive(problems, nameof(options.Timeout), options.Timeout);
        RequirePositive(problems, nameof(options.ReplicationLagDegraded), options.ReplicationLagDegraded);
        RequirePositive(problems, nameof(options.OplogWindowUnhealthy), options.OplogWindowUnhealthy);
        RequirePositive(problems, nameof(options.HeartbeatAgeDegraded), options.HeartbeatAgeDegraded);
        RequirePositive(problems, nameof(options.PrimaryAbsentDegraded), options.PrimaryAbsentDegraded);
        RequirePositive(problems, nameof(options.ElectionWindow), options.ElectionWindow);
        if (options.RecentRestartUptime < TimeSpan.Zero)
        {
            problems.Add(nameof(options.RecentRestartUptime), $"is {options.RecentRestartUptime}", "set it to zero or a positive duration.");
        }

        RequireOrdered(problems, nameof(options.ReplicationLagDegraded), options.ReplicationLagDegraded, nameof(options.ReplicationLagUnhealthy), options.ReplicationLagUnhealthy);
        RequireOrdered(problems, nameof(options.HeartbeatAgeDegraded), options.HeartbeatAgeDegraded, nameof(options.HeartbeatAgeUnhealthy), options.HeartbeatAgeUnhealthy);
        RequireOrdered(problems, nameof(options.PrimaryAbsentDegraded), options.PrimaryAbsentDegraded, nameof(options.PrimaryAbsentUnhealthy), options.PrimaryAbsentUnhealthy);

        // The oplog window degrades as it shrinks, so the order is reversed.
        RequireOrdered(problems, nameof(options.OplogWindowUnhealthy), options.OplogWindowUnhealthy, nameof(options.OplogWindowDegraded), options.OplogWindowDegraded);

        if (options.ElectionsDegraded < 0)
        {
            problems.Add(nameof(options.ElectionsDegraded), $"is {options.ElectionsDegraded}", "set it to 0 or more.");
        }

        if (string.IsNullOrWhiteSpace(options.AvailabilityZoneTag))
        {
            problems.Add(nameof(options.AvailabilityZoneTag), "is empty", "set it to the member tag that holds the availability zone (the blueprint uses \"az\").");
        }

        if (options.EnvironmentName is { } environment && string.IsNullOrWhiteSpace(environment))
        {
            problems.Add(nameof(options.EnvironmentName), "is blank", "set it to the environment name or leave it null to publish no metrics.");
        }
    }

    private static void RequirePositive(OptionsProblems problems, string member, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add(member, $"is {value}", "set it to a positive duration.");
        }
    }

    private static void RequireOrdered(OptionsProblems problems, string lowerMember, TimeSpan lower, string upperMember, TimeSpan upper)
    {
        if (lower >= upper)
        {
            problems.Add(upperMember, $"({upper}) must be greater than {lowerMember} ({lower})", $"raise {upperMember} or lower {lowerMember}.");
        }
    }
}
