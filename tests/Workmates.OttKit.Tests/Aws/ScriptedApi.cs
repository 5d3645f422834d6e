namespace Workmates.OttKit.Tests.Aws;

/// <summary>
/// A fake of one of the API interfaces (<see cref="Workmates.OttKit.Aws.Ecs.IEcsApi"/>,
/// <see cref="Workmates.OttKit.Aws.CloudFormation.ICloudFormationApi"/>, <see cref="Workmates.OttKit.Aws.CloudWatch.ICloudWatchApi"/>):
/// each call is recorded and answered by a per-operation script. The interfaces' operations are internal, so the fakes
/// are written out (a DispatchProxy cannot override members its dynamic assembly cannot see).
/// </summary>
internal abstract class ScriptedApi
{
    private readonly Dictionary<string, Func<object, object>> _scripts = new(StringComparer.Ordinal);

    public List<(string Operation, object Request)> Calls { get; } = [];

    public static (TApi Api, ScriptedApi Script) Create<TApi>()
        where TApi : class
    {
        ScriptedApi script = typeof(TApi).Name switch
        {
            nameof(Workmates.OttKit.Aws.Ecs.IEcsApi) => new ScriptedEcs(),
            nameof(Workmates.OttKit.Aws.CloudFormation.ICloudFormationApi) => new ScriptedCloudFormation(),
            nameof(Workmates.OttKit.Aws.CloudWatch.ICloudWatchApi) => new ScriptedCloudWatch(),
            _ => throw new NotSupportedException($"no scripted fake of {typeof(TApi).Name}"),
        };
        return ((TApi)(object)script, script);
    }

    public ScriptedApi On<TRequest, TResponse>(string operation, Func<TRequest, TResponse> answer)
    {
        _scripts[operation] = request => answer((TRequest)request)!;
        return this;
    }

    protected Task<TResponse> Invoke<TResponse>(string operation, object request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Add((operation, request));
        return _scripts.TryGetValue(operation, out var script)
            ? Task.FromResult((TResponse)script(request))
            : throw new NotSupportedException($"{operation}Async is not scripted");
    }
}

/// <summary>The scripted fake of <see cref="IEcsApi"/>.</summary>
internal sealed class ScriptedEcs : ScriptedApi, Workmates.OttKit.Aws.Ecs.IEcsApi
{
    public Amazon.Runtime.IClientConfig Config => throw new NotSupportedException("a scripted fake has no SDK configuration");

    public Task<Workmates.OttKit.Aws.Ecs.Model.RegisterTaskDefinitionResponse> RegisterTaskDefinitionAsync(Workmates.OttKit.Aws.Ecs.Model.RegisterTaskDefinitionRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.RegisterTaskDefinitionResponse>("RegisterTaskDefinition", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DescribeTaskDefinitionResponse> DescribeTaskDefinitionAsync(Workmates.OttKit.Aws.Ecs.Model.DescribeTaskDefinitionRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DescribeTaskDefinitionResponse>("DescribeTaskDefinition", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DeregisterTaskDefinitionResponse> DeregisterTaskDefinitionAsync(Workmates.OttKit.Aws.Ecs.Model.DeregisterTaskDefinitionRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DeregisterTaskDefinitionResponse>("DeregisterTaskDefinition", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.ListTaskDefinitionsResponse> ListTaskDefinitionsAsync(Workmates.OttKit.Aws.Ecs.Model.ListTaskDefinitionsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.ListTaskDefinitionsResponse>("ListTaskDefinitions", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.UpdateServiceResponse> UpdateServiceAsync(Workmates.OttKit.Aws.Ecs.Model.UpdateServiceRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.UpdateServiceResponse>("UpdateService", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DescribeServicesResponse> DescribeServicesAsync(Workmates.OttKit.Aws.Ecs.Model.DescribeServicesRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DescribeServicesResponse>("DescribeServices", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.ListServiceDeploymentsResponse> ListServiceDeploymentsAsync(Workmates.OttKit.Aws.Ecs.Model.ListServiceDeploymentsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.ListServiceDeploymentsResponse>("ListServiceDeployments", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DescribeServiceDeploymentsResponse> DescribeServiceDeploymentsAsync(Workmates.OttKit.Aws.Ecs.Model.DescribeServiceDeploymentsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DescribeServiceDeploymentsResponse>("DescribeServiceDeployments", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.StopServiceDeploymentResponse> StopServiceDeploymentAsync(Workmates.OttKit.Aws.Ecs.Model.StopServiceDeploymentRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.StopServiceDeploymentResponse>("StopServiceDeployment", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DescribeServiceRevisionsResponse> DescribeServiceRevisionsAsync(Workmates.OttKit.Aws.Ecs.Model.DescribeServiceRevisionsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DescribeServiceRevisionsResponse>("DescribeServiceRevisions", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.ListTasksResponse> ListTasksAsync(Workmates.OttKit.Aws.Ecs.Model.ListTasksRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.ListTasksResponse>("ListTasks", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DescribeTasksResponse> DescribeTasksAsync(Workmates.OttKit.Aws.Ecs.Model.DescribeTasksRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DescribeTasksResponse>("DescribeTasks", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.ListContainerInstancesResponse> ListContainerInstancesAsync(Workmates.OttKit.Aws.Ecs.Model.ListContainerInstancesRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.ListContainerInstancesResponse>("ListContainerInstances", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.DescribeContainerInstancesResponse> DescribeContainerInstancesAsync(Workmates.OttKit.Aws.Ecs.Model.DescribeContainerInstancesRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.DescribeContainerInstancesResponse>("DescribeContainerInstances", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.Ecs.Model.UpdateContainerInstancesStateResponse> UpdateContainerInstancesStateAsync(Workmates.OttKit.Aws.Ecs.Model.UpdateContainerInstancesStateRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.Ecs.Model.UpdateContainerInstancesStateResponse>("UpdateContainerInstancesState", request, cancellationToken);
}

/// <summary>The scripted fake of <see cref="ICloudFormationApi"/>.</summary>
internal sealed class ScriptedCloudFormation : ScriptedApi, Workmates.OttKit.Aws.CloudFormation.ICloudFormationApi
{
    public Amazon.Runtime.IClientConfig Config => throw new NotSupportedException("a scripted fake has no SDK configuration");

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.CreateChangeSetResponse> CreateChangeSetAsync(Workmates.OttKit.Aws.CloudFormation.Model.CreateChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.CreateChangeSetResponse>("CreateChangeSet", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DescribeChangeSetResponse> DescribeChangeSetAsync(Workmates.OttKit.Aws.CloudFormation.Model.DescribeChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DescribeChangeSetResponse>("DescribeChangeSet", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.ExecuteChangeSetResponse> ExecuteChangeSetAsync(Workmates.OttKit.Aws.CloudFormation.Model.ExecuteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.ExecuteChangeSetResponse>("ExecuteChangeSet", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DeleteChangeSetResponse> DeleteChangeSetAsync(Workmates.OttKit.Aws.CloudFormation.Model.DeleteChangeSetRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DeleteChangeSetResponse>("DeleteChangeSet", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.ListChangeSetsResponse> ListChangeSetsAsync(Workmates.OttKit.Aws.CloudFormation.Model.ListChangeSetsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.ListChangeSetsResponse>("ListChangeSets", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStacksResponse> DescribeStacksAsync(Workmates.OttKit.Aws.CloudFormation.Model.DescribeStacksRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStacksResponse>("DescribeStacks", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackEventsResponse> DescribeStackEventsAsync(Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackEventsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackEventsResponse>("DescribeStackEvents", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackResourcesResponse> DescribeStackResourcesAsync(Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackResourcesRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackResourcesResponse>("DescribeStackResources", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.GetTemplateResponse> GetTemplateAsync(Workmates.OttKit.Aws.CloudFormation.Model.GetTemplateRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.GetTemplateResponse>("GetTemplate", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.ValidateTemplateResponse> ValidateTemplateAsync(Workmates.OttKit.Aws.CloudFormation.Model.ValidateTemplateRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.ValidateTemplateResponse>("ValidateTemplate", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.ContinueUpdateRollbackResponse> ContinueUpdateRollbackAsync(Workmates.OttKit.Aws.CloudFormation.Model.ContinueUpdateRollbackRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.ContinueUpdateRollbackResponse>("ContinueUpdateRollback", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.CancelUpdateStackResponse> CancelUpdateStackAsync(Workmates.OttKit.Aws.CloudFormation.Model.CancelUpdateStackRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.CancelUpdateStackResponse>("CancelUpdateStack", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.RollbackStackResponse> RollbackStackAsync(Workmates.OttKit.Aws.CloudFormation.Model.RollbackStackRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.RollbackStackResponse>("RollbackStack", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DeleteStackResponse> DeleteStackAsync(Workmates.OttKit.Aws.CloudFormation.Model.DeleteStackRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DeleteStackResponse>("DeleteStack", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.UpdateTerminationProtectionResponse> UpdateTerminationProtectionAsync(Workmates.OttKit.Aws.CloudFormation.Model.UpdateTerminationProtectionRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.UpdateTerminationProtectionResponse>("UpdateTerminationProtection", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.SetStackPolicyResponse> SetStackPolicyAsync(Workmates.OttKit.Aws.CloudFormation.Model.SetStackPolicyRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.SetStackPolicyResponse>("SetStackPolicy", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DetectStackDriftResponse> DetectStackDriftAsync(Workmates.OttKit.Aws.CloudFormation.Model.DetectStackDriftRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DetectStackDriftResponse>("DetectStackDrift", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudFormation.Model.DescribeStackDriftDetectionStatusResponse>("DescribeStackDriftDetectionStatus", request, cancellationToken);
}

/// <summary>The scripted fake of <see cref="ICloudWatchApi"/>.</summary>
internal sealed class ScriptedCloudWatch : ScriptedApi, Workmates.OttKit.Aws.CloudWatch.ICloudWatchApi
{
    public Amazon.Runtime.IClientConfig Config => throw new NotSupportedException("a scripted fake has no SDK configuration");

    public Task<Workmates.OttKit.Aws.CloudWatch.Model.DescribeAlarmsResponse> DescribeAlarmsAsync(Workmates.OttKit.Aws.CloudWatch.Model.DescribeAlarmsRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudWatch.Model.DescribeAlarmsResponse>("DescribeAlarms", request, cancellationToken);

    public Task<Workmates.OttKit.Aws.CloudWatch.Model.PutMetricDataResponse> PutMetricDataAsync(Workmates.OttKit.Aws.CloudWatch.Model.PutMetricDataRequest request, CancellationToken cancellationToken = default) =>
        Invoke<Workmates.OttKit.Aws.CloudWatch.Model.PutMetricDataResponse>("PutMetricData", request, cancellationToken);
}
