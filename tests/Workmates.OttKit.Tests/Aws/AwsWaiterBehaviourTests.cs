using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Workmates.OttKit.Aws.Runtime;
using Workmates.OttKit.Simulators;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws;

public sealed class AwsWaiterBehaviourTests
{
    private static Service Svc(string status, int deployments, int running, int desired) => new()
    {
        Status = status,
        RunningCount = running,
        DesiredCount = desired,
        Deployments = Enumerable.Range(0, deployments).Select(_ => new Workmates.OttKit.Aws.Ecs.Model.Deployment()).ToList(),
    };

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ServicesStable_PollsWithTheModelDelayUntilOneDeploymentRunsTheDesiredCount()
    {
        var clock = new VirtualClock();
        var calls = 0;
        var responses = new[]
        {
            new DescribeServicesResponse { Services = [Svc("ACTIVE", 2, 1, 2)] },
            new DescribeServicesResponse { Services = [Svc("ACTIVE", 1, 1, 2)] },
            new DescribeServicesResponse { Services = [Svc("ACTIVE", 1, 2, 2)] },
        };

        var result = await clock.RunAsync(EcsWaiterDefinitions.ServicesStable.WaitAsync(
            _ => Task.FromResult(responses[calls++]), clock, TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Same(responses[2], result);
        Assert.Equal(3, calls);
        Assert.Equal([TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)], clock.Waits);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ServicesStable_WhenAServiceIsMissing_FailsAtOnce()
    {
        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => EcsWaiterDefinitions.ServicesStable.WaitAsync(
            _ => Task.FromResult(new DescribeServicesResponse { Services = [], Failures = [new Failure { Reason = "MISSING" }] }),
            new VirtualClock(),
            TestContext.Current.CancellationToken));

        Assert.Equal(AwsWaiterFailureReason.FailureStateMatched, error.Reason);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("failures[].reason", error.MatchedAcceptor, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task TasksStopped_WithAnEmptyTaskList_IsNotSuccess_AndGivesUpAfterMaxAttempts()
    {
        var clock = new VirtualClock();
        var calls = 0;

        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => clock.RunAsync(EcsWaiterDefinitions.TasksStopped.WaitAsync(
            _ =>
            {
                calls++;
                return Task.FromResult(new DescribeTasksResponse { Tasks = [] });
            },
            clock,
            TestContext.Current.CancellationToken), TimeSpan.FromDays(1), TestContext.Current.CancellationToken));

        Assert.Equal(AwsWaiterFailureReason.MaxAttemptsExceeded, error.Reason);
        Assert.Equal(100, calls);
        Assert.Equal(99, clock.Waits.Count);
        Assert.All(clock.Waits, d => Assert.Equal(TimeSpan.FromSeconds(6), d));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StackDeleteComplete_WhenTheStackIsGone_SucceedsOnTheValidationError()
    {
        var api = new ScriptedCloudFormation(
            _ => new DescribeStacksResponse { Stacks = [new Stack { StackStatus = "DELETE_IN_PROGRESS" }] },
            _ => throw CloudFormationException.FromError(new AwsErrorDetails(
                "ValidationError", "Stack with id web does not exist", ErrorType.Sender, "r", HttpStatusCode.BadRequest, null)));

        var clock = new VirtualClock();

        var result = await clock.RunAsync(api.WaitUntilStackDeleteCompleteAsync(
            new DescribeStacksRequest { StackName = "web" }, clock, TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(result);
        Assert.Equal(2, api.Calls);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StackUpdateComplete_WhenTheUpdateRolledBack_FailsWithTheMatchedAcceptor()
    {
        var api = new ScriptedCloudFormation(
            _ => new DescribeStacksResponse { Stacks = [new Stack { StackStatus = "UPDATE_IN_PROGRESS" }] },
            _ => new DescribeStacksResponse { Stacks = [new Stack { StackStatus = "UPDATE_ROLLBACK_COMPLETE" }] });

        var clock = new VirtualClock();

        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => clock.RunAsync(api.WaitUntilStackUpdateCompleteAsync(
            new DescribeStacksRequest { StackName = "web" }, clock, TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(AwsWaiterFailureReason.FailureStateMatched, error.Reason);
        Assert.Equal("StackUpdateComplete", error.WaiterName);
        Assert.Contains("UPDATE_ROLLBACK_COMPLETE", error.MatchedAcceptor, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task StackExists_RetriesOnValidationError_ThenSucceedsOnStatus200()
    {
        var api = new ScriptedCloudFormation(
            _ => throw CloudFormationException.FromError(new AwsErrorDetails(
                "ValidationError", "Stack with id web does not exist", ErrorType.Sender, "r", HttpStatusCode.BadRequest, null)),
            _ => new DescribeStacksResponse { Stacks = [new Stack { StackStatus = "CREATE_IN_PROGRESS" }], HttpStatusCode = HttpStatusCode.OK });
        var clock = new VirtualClock();

        var result = await clock.RunAsync(api.WaitUntilStackExistsAsync(new DescribeStacksRequest { StackName = "web" }, clock, TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.Equal([TimeSpan.FromSeconds(5)], clock.Waits);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task AnUnexpectedError_EndsTheWaitWithTheServiceErrorAsCause()
    {
        var throttled = CloudFormationException.FromError(new AwsErrorDetails(
            "AccessDenied", "no", ErrorType.Sender, "r", HttpStatusCode.Forbidden, null));
        var api = new ScriptedCloudFormation(_ => throw throttled);

        var error = await Assert.ThrowsAsync<AwsWaiterException>(() => api.WaitUntilStackCreateCompleteAsync(
            new DescribeStacksRequest { StackName = "web" }, new VirtualClock(), TestContext.Current.CancellationToken));

        Assert.Equal(AwsWaiterFailureReason.UnexpectedError, error.Reason);
        Assert.Same(throttled, error.InnerException);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ChangeSetCreateComplete_WhenCancelled_StopsWithOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var api = new ScriptedCloudFormation();
        api.ChangeSetStatus = "CREATE_IN_PROGRESS";
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.WaitUntilChangeSetCreateCompleteAsync(
            new DescribeChangeSetRequest { ChangeSetName = "cs" }, new VirtualClock(), cancellation.Token));
    }

    private sealed class ScriptedCloudFormation(params Func<DescribeStacksRequest, DescribeStacksResponse>[] script) : ICloudFormationApi
    {
        public int Calls { get; private set; }

        public Amazon.Runtime.IClientConfig Config => throw new NotSupportedException("a scripted fake has no SDK configuration");

        public string ChangeSetStatus { get; set; } = "CREATE_COMPLETE";

        public Task<DescribeStacksResponse> DescribeStacksAsync(DescribeStacksRequest request, CancellationToken cancellationToken = default)
        {
            var step = script[Math.Min(Calls, script.Length - 1)];
            Calls++;
            return Task.FromResult(step(request));
        }

        public Task<DescribeChangeSetResponse> DescribeChangeSetAsync(DescribeChangeSetRequest request, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(new DescribeChangeSetResponse { Status = ChangeSetStatus });
        }

        public Task<CreateChangeSetResponse> CreateChangeSetAsync(CreateChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ExecuteChangeSetResponse> ExecuteChangeSetAsync(ExecuteChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DeleteChangeSetResponse> DeleteChangeSetAsync(DeleteChangeSetRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ListChangeSetsResponse> ListChangeSetsAsync(ListChangeSetsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DescribeStackEventsResponse> DescribeStackEventsAsync(DescribeStackEventsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DescribeStackResourcesResponse> DescribeStackResourcesAsync(DescribeStackResourcesRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<GetTemplateResponse> GetTemplateAsync(GetTemplateRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ValidateTemplateResponse> ValidateTemplateAsync(ValidateTemplateRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ContinueUpdateRollbackResponse> ContinueUpdateRollbackAsync(ContinueUpdateRollbackRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<CancelUpdateStackResponse> CancelUpdateStackAsync(CancelUpdateStackRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RollbackStackResponse> RollbackStackAsync(RollbackStackRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DeleteStackResponse> DeleteStackAsync(DeleteStackRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<UpdateTerminationProtectionResponse> UpdateTerminationProtectionAsync(UpdateTerminationProtectionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SetStackPolicyResponse> SetStackPolicyAsync(SetStackPolicyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DetectStackDriftResponse> DetectStackDriftAsync(DetectStackDriftRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<DescribeStackDriftDetectionStatusResponse> DescribeStackDriftDetectionStatusAsync(DescribeStackDriftDetectionStatusRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
