using Microsoft.Extensions.Options;

namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// Validates <see cref="ReplicaSetHealthCheckOptions"/> and lists every bad member at once, each with its fix. Written by hand
/// because most rules relate two members (degraded before unhealthy), which data annotations cannot express.
/// </summary>
internal sealed class ReplicaSetHealthCheckOptionsValidator : IValidateOptions<ReplicaSetHealthCheckOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplicaSetHealthCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        var prefix = string.IsNullOrEmpty(name) ? nameof(ReplicaSetHealthCheckOptions) : $"{nameof(ReplicaSetHealthCheckOptions)}[{name}]";

        RequirePositive(builder, prefix, nameof(options.Timeout), options.Timeout);
        RequirePositive(builder, prefix, nameof(options.ReplicationLagDegraded), options.ReplicationLagDegraded);
        RequirePositive(builder, prefix, nameof(options.OplogWindowUnhealthy), options.OplogWindowUnhealthy);
        RequirePositive(builder, prefix, nameof(options.HeartbeatAgeDegraded), options.HeartbeatAgeDegraded);
        RequirePositive(builder, prefix, nameof(options.PrimaryAbsentDegraded), options.PrimaryAbsentDegraded);
        RequirePositive(builder, prefix, nameof(options.ElectionWindow), options.ElectionWindow);
        RequireNotNegative(builder, prefix, nameof(options.RecentRestartUptime), options.RecentRestartUptime);

        RequireOrdered(builder, prefix, nameof(options.ReplicationLagDegraded), options.ReplicationLagDegraded, nameof(options.ReplicationLagUnhealthy), options.ReplicationLagUnhealthy);
        RequireOrdered(builder, prefix, nameof(options.HeartbeatAgeDegraded), options.HeartbeatAgeDegraded, nameof(options.HeartbeatAgeUnhealthy), options.HeartbeatAgeUnhealthy);
        RequireOrdered(builder, prefix, nameof(options.PrimaryAbsentDegraded), options.PrimaryAbsentDegraded, nameof(options.PrimaryAbsentUnhealthy), options.PrimaryAbsentUnhealthy);

        // The oplog window degrades as it shrinks, so the order is reversed.
        RequireOrdered(builder, prefix, nameof(options.OplogWindowUnhealthy), options.OplogWindowUnhealthy, nameof(options.OplogWindowDegraded), options.OplogWindowDegraded);

        if (options.ElectionsDegraded < 0)
        {
            builder.AddError($"{prefix}.{nameof(options.ElectionsDegraded)} is {options.ElectionsDegraded}; set it to 0 or more.");
        }

        if (string.IsNullOrWhiteSpace(options.AvailabilityZoneTag))
        {
            builder.AddError($"{prefix}.{nameof(options.AvailabilityZoneTag)} is empty; set it to the member tag that holds the availability zone (the blueprint uses \"az\").");
        }

        if (options.EnvironmentName is { } environment && string.IsNullOrWhiteSpace(environment))
        {
            builder.AddError($"{prefix}.{nameof(options.EnvironmentName)} is blank; set it to the environment name or leave it null to publish no metrics.");
        }

        return builder.Build();
    }

    private static void RequirePositive(ValidateOptionsResultBuilder builder, string prefix, string member, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            builder.AddError($"{prefix}.{member} is {value}; set it to a positive duration.");
        }
    }

    private static void RequireNotNegative(ValidateOptionsResultBuilder builder, string prefix, string member, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            builder.AddError($"{prefix}.{member} is {value}; set it to zero or a positive duration.");
        }
    }

    private static void RequireOrdered(ValidateOptionsResultBuilder builder, string prefix, string lowerMember, TimeSpan lower, string upperMember, TimeSpan upper)
    {
        if (lower >= upper)
        {
            builder.AddError($"{prefix}.{upperMember} ({upper}) must be greater than {lowerMember} ({lower}); raise {upperMember} or lower {lowerMember}.");
        }
    }
}
