using System.Collections.Concurrent;
using Amazon.SimpleSystemsManagement;
using Workmates.OttKit.Aws;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Patching;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Aws;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Deployment;

namespace Workmates.OttKit.Tests.Patching;

/// <summary>
/// Environment "prod": an SSM simulator with ECS hosts i-host0.. (patch group prod-ecs-hosts) and MongoDB members'
/// instances i-mongo0.. (prod-mongodb), a three-member replica-set simulator (member 0 primary), and a patch that behaves
/// like a reboot: the member goes RECOVERING while the command runs, comes back SECONDARY 30 s behind, and catches up
/// <see cref="CatchUpAfter"/> of virtual time later. Everything that happens is recorded in <see cref="Order"/>.
/// </summary>
internal sealed class PatchTestBed : IAsyncDisposable
{
    private readonly List<ITimer> _timers = [];
    private readonly MongoReplicaSetControl _control;

    private PatchTestBed(SsmSimulator ssm, ReplicaSetSimulator set, int hosts)
    {
        Ssm = ssm;
        Set = set;
        Clock = ssm.Clock;
        Client = new AwsClientFactory(DeployTestBed.Options(ssm), c => c.HttpClientFactory = Clock.AwsHttpClientFactory()).CreateSimpleSystemsManagement();
        for (var i = 0; i < hosts; i++)
        {
            ssm.AddInstance($"i-host{i}", "prod-ecs-hosts", $"10.0.2.{10 + i}");
        }

        for (var i = 0; i < set.Members.Count; i++)
        {
            ssm.AddInstance($"i-mongo{i}", "prod-mongodb", $"10.0.1.{10 + i}");
        }

        ssm.CommandStarted = invocation =>
        {
            Order.Enqueue($"{invocation.Operation.ToLowerInvariant()} {invocation.InstanceId}");
            if (invocation.Operation == "Install" && MemberOf(invocation.InstanceId) is { } member)
            {
                member.State = SimulatedMemberState.Recovering;
            }
        };
        ssm.CommandCompleted = invocation =>
        {
            if (invocation.Operation != "Install" || MemberOf(invocation.InstanceId) is not { } member || invocation.FinalStatus != "Success")
            {
                return;
            }

            member.State = SimulatedMemberState.Secondary;
            member.Lag = TimeSpan.FromSeconds(30);
            if (CatchUpAfter is { } after)
            {
                _timers.Add(Clock.CreateTimer(
                    _ =>
                    {
                        member.Lag = TimeSpan.Zero;
                        Order.Enqueue($"caught up {invocation.InstanceId}");
                    },
                    null, after, Timeout.InfiniteTimeSpan));
            }
        };
        set.CommandReceived = (member, command) =>
        {
            if (command.Name == "replSetStepDown")
            {
                Order.Enqueue($"stepdown {InstanceOf(member.Name)}");
            }
        };
        _control = new MongoReplicaSetControl(MongoConnectionString.Parse(set.ConnectionString(options: "serverSelectionTimeoutMS=5000")), Clock);
        Control = new TrackedControl(_control, Clock);
    }

    public SsmSimulator Ssm { get; }

    public ReplicaSetSimulator Set { get; }

    public VirtualClock Clock { get; }

    public IAmazonSimpleSystemsManagement Client { get; }

    public IReplicaSetControl Control { get; }

    /// <summary>How long after a patch a member catches up; never when null.</summary>
    public TimeSpan? CatchUpAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>What happened, in order: "install i-mongo1", "caught up i-mongo1", "stepdown i-mongo0", "drain i-host0,i-host1"…</summary>
    public ConcurrentQueue<string> Order { get; } = new();

    public List<PatchEvent> Events { get; } = [];

    public static async Task<PatchTestBed> StartAsync(int hosts = 0)
    {
        var ssm = await SsmSimulator.StartAsync(new AwsSimulatorOptions { Clock = new VirtualClock() }, TestContext.Current.CancellationToken);
        var set = ReplicaSetSimulator.Start(3);
        return new PatchTestBed(ssm, set, hosts);
    }

    public PatchOptions Options(PatchTarget target, IProgress<PatchEvent>? progress = null) => new()
    {
        Environment = "prod",
        Target = target,
        MemberInstance = (member, instances, _) => Task.FromResult(instances.FirstOrDefault(i => i.InstanceId == InstanceOf(member))),
        Progress = progress ?? new SyncProgress(Events),
    };

    public Task<PatchResult> RunAsync(Task<PatchResult> work) => Clock.RunAsync(work, cancellationToken: TestContext.Current.CancellationToken);

    public string InstanceOf(string member) => $"i-mongo{Set.Members.Single(m => m.Name == member).Index}";

    public async ValueTask DisposeAsync()
    {
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }

        await _control.DisposeAsync();
        Client.Dispose();
        await Set.DisposeAsync();
        await Ssm.DisposeAsync();
    }

    private SimulatedMember? MemberOf(string instanceId) =>
        instanceId.StartsWith("i-mongo", StringComparison.Ordinal) ? Set.Members[int.Parse(instanceId["i-mongo".Length..], System.Globalization.CultureInfo.InvariantCulture)] : null;

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    private sealed class SyncProgress(List<PatchEvent> events) : IProgress<PatchEvent>
    {
        public void Report(PatchEvent value)
        {
            lock (events)
            {
                events.Add(value);
            }
        }
    }

    /// <summary>Marks each MongoDB call as I/O in flight, so the virtual clock does not move under it.</summary>
    private sealed class TrackedControl(IReplicaSetControl inner, VirtualClock clock) : IReplicaSetControl
    {
        public async Task<ReplicaSetObservation> ObserveAsync(CancellationToken cancellationToken)
        {
            using var activity = clock.BeginActivity();
            return await inner.ObserveAsync(cancellationToken);
        }

        public async Task StepDownAsync(TimeSpan stepDownPeriod, CancellationToken cancellationToken)
        {
            using var activity = clock.BeginActivity();
            await inner.StepDownAsync(stepDownPeriod, cancellationToken);
        }
    }
}

/// <summary>A drainer that records what it was asked, in the bed's order.</summary>
internal sealed class RecordingDrainer(ConcurrentQueue<string> order) : IHostDrainer
{
    public Task DrainAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        order.Enqueue($"drain {string.Join(',', instanceIds)}");
        return Task.CompletedTask;
    }

    public Task ActivateAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        order.Enqueue($"activate {string.Join(',', instanceIds)}");
        return Task.CompletedTask;
    }
}
