namespace Workmates.OttKit.Deployment;

/// <summary>Defaults of <see cref="ServiceDeployOptions"/>, in one place so the docs and the validation agree.</summary>
internal static class ServiceDeployDefaults
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan InitialPollInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(30);

    public const double PollBackoffFactor = 1.5;

    public const bool RollbackOnTimeout = false;

    public const InFlightDeploymentPolicy WhenDeploymentInProgress = InFlightDeploymentPolicy.Refuse;

    public static readonly TimeSpan HealthCheckInterval = TimeSpan.FromSeconds(20);

    public const bool FailFast = false;

    public const int FailFastUnhealthyChecks = 3;

    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);
}
