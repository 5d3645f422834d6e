using System.Text.Json;
using Workmates.OttKit.Aws.CloudFormation;
using Workmates.OttKit.Aws.CloudFormation.Model;
using Workmates.OttKit.Aws.CloudWatch;
using Workmates.OttKit.Aws.CloudWatch.Model;
using Workmates.OttKit.Aws.Ecs;
using Workmates.OttKit.Aws.Ecs.Model;
using Task = System.Threading.Tasks.Task;

namespace Workmates.OttKit.Tests.Aws;

public sealed class AwsPaginatorTests
{
    [Theory]
    [InlineData("ecs", "ListTasks", "nextToken", "nextToken", "taskArns")]
    [InlineData("ecs", "ListTaskDefinitions", "nextToken", "nextToken", "taskDefinitionArns")]
    [InlineData("cloudformation", "DescribeStacks", "NextToken", "NextToken", "Stacks")]
    [InlineData("cloudformation", "DescribeStackEvents", "NextToken", "NextToken", "StackEvents")]
    [InlineData("cloudformation", "DescribeChangeSet", "NextToken", "NextToken", "Changes")]
    [InlineData("cloudformation", "ListChangeSets", "NextToken", "NextToken", "Summaries")]
    [InlineData("cloudwatch", "DescribeAlarms", "NextToken", "NextToken", "MetricAlarms,CompositeAlarms,LogAlarms")]
    public void EveryPaginatorTheLibraryImplements_UsesTheModelTokensAndResultKeys(
        string service, string operation, string inputToken, string outputToken, string resultKeys)
    {
        var paginator = AwsModel.Load(service).Paginators.GetProperty("pagination").GetProperty(operation);

        Assert.Equal(inputToken, paginator.GetProperty("input_token").GetString());
        Assert.Equal(outputToken, paginator.GetProperty("output_token").GetString());
        var keys = paginator.GetProperty("result_key");
        Assert.Equal(resultKeys.Split(','), keys.ValueKind == JsonValueKind.Array ? keys.EnumerateArray().Select(k => k.GetString()!) : [keys.GetString()!]);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task ListAllTasks_FollowsNextTokenUntilItIsEmpty_WithoutTouchingTheCallersRequest()
    {
        var (ecs, script) = ScriptedApi.Create<IEcsApi>();
        script.On<ListTasksRequest, ListTasksResponse>("ListTasks", r => r.NextToken switch
        {
            null => new ListTasksResponse { TaskArns = ["a", "b"], NextToken = "t1" },
            "t1" => new ListTasksResponse { TaskArns = ["c"], NextToken = "" },
            _ => throw new InvalidOperationException(),
        });
        var request = new ListTasksRequest { Cluster = "main", ServiceName = "api", DesiredStatus = "RUNNING" };

        var arns = await ecs.ListAllTasksAsync(request, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c"], arns);
        Assert.Null(request.NextToken);
        Assert.All(script.Calls, c => Assert.Equal("api", ((ListTasksRequest)c.Request).ServiceName));
        Assert.Equal(2, script.Calls.Count);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeWholeChangeSet_ConcatenatesChanges_AndKeepsTheFirstPagesOtherMembers()
    {
        var (cfn, script) = ScriptedApi.Create<ICloudFormationApi>();
        script.On<DescribeChangeSetRequest, DescribeChangeSetResponse>("DescribeChangeSet", r => r.NextToken switch
        {
            null => new DescribeChangeSetResponse { Status = "CREATE_COMPLETE", Capabilities = ["CAPABILITY_IAM"], Changes = [new Change { Type = "Resource" }], NextToken = "p2" },
            "p2" => new DescribeChangeSetResponse { Status = "ignored", Changes = [new Change { Type = "Resource" }, new Change { Type = "Resource" }] },
            _ => throw new InvalidOperationException(),
        });

        var whole = await cfn.DescribeWholeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = "cs", StackName = "web" }, TestContext.Current.CancellationToken);

        Assert.Equal(3, whole.Changes!.Count);
        Assert.Equal("CREATE_COMPLETE", whole.Status);
        Assert.Equal(["CAPABILITY_IAM"], whole.Capabilities!);
        Assert.Null(whole.NextToken);
        Assert.All(script.Calls, c => Assert.Equal("web", ((DescribeChangeSetRequest)c.Request).StackName));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeAlarmsPages_CopiesEveryFilterIntoEachPageRequest()
    {
        var (cloudWatch, script) = ScriptedApi.Create<ICloudWatchApi>();
        script.On<DescribeAlarmsRequest, DescribeAlarmsResponse>("DescribeAlarms", r => r.NextToken is null
            ? new DescribeAlarmsResponse { MetricAlarms = [new MetricAlarm { AlarmName = "a" }], NextToken = "n" }
            : new DescribeAlarmsResponse { CompositeAlarms = [new CompositeAlarm { AlarmName = "c" }] });

        var pages = await cloudWatch.DescribeAlarmsPagesAsync(
            new DescribeAlarmsRequest { AlarmNamePrefix = "ottkit-", StateValue = "ALARM", MaxRecords = 50 },
            TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, pages.Count);
        var second = (DescribeAlarmsRequest)script.Calls[1].Request;
        Assert.Equal(("ottkit-", "ALARM", 50, "n"), (second.AlarmNamePrefix, second.StateValue, second.MaxRecords, second.NextToken));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task DescribeAllStackEvents_StopsWhenTheCallerStopsEnumerating()
    {
        var (cfn, script) = ScriptedApi.Create<ICloudFormationApi>();
        script.On<DescribeStackEventsRequest, DescribeStackEventsResponse>("DescribeStackEvents", _ =>
            new DescribeStackEventsResponse { StackEvents = [new StackEvent { EventId = "e" }], NextToken = "more" });

        var first = await cfn.DescribeAllStackEventsAsync(new DescribeStackEventsRequest { StackName = "web" }, TestContext.Current.CancellationToken)
            .Take(3).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, first.Count);
        Assert.Equal(3, script.Calls.Count);
    }
}
