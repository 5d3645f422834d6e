namespace Workmates.OttKit.Deployment;

/// <summary>Why a <see cref="ServiceDeployer"/> call could not start or finish its work.</summary>
public enum ServiceDeploymentErrorKind
{
    /// <summary>The service does not exist (or is not ACTIVE).</summary>
    ServiceNotFound,

    /// <summary>Another deployment is in progress and the policy is <see cref="InFlightDeploymentPolicy.Refuse"/>.</summary>
    DeploymentInProgress,

    /// <summary>The named container is not in the task definition.</summary>
    ContainerNotFound,

    /// <summary>There is no deployment to attach to, or no earlier completed revision to roll back to.</summary>
    NothingToWatch,
}

/// <summary>A service deploy, watch or rollback could not proceed; carries the service and the reason.</summary>
public sealed class ServiceDeploymentException : OttKitDeploymentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The failure family.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="service">The service.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="serviceDeploymentArn">The service deployment involved, if any.</param>
    public ServiceDeploymentException(ServiceDeploymentErrorKind kind, string cluster, string service, string message, string? serviceDeploymentArn = null)
        : base(message)
    {
        Kind = kind;
        Cluster = cluster;
        Service = service;
        ServiceDeploymentArn = serviceDeploymentArn;
    }

    /// <summary>The failure family.</summary>
    public ServiceDeploymentErrorKind Kind { get; }

    /// <summary>The cluster.</summary>
    public string Cluster { get; }

    /// <summary>The service.</summary>
    public string Service { get; }

    /// <summary>The service deployment involved (the in-flight one for <see cref="ServiceDeploymentErrorKind.DeploymentInProgress"/>).</summary>
    public string? ServiceDeploymentArn { get; }
}
