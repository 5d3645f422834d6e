namespace Workmates.OttKit.Tests.Infrastructure;

/// <summary>
/// Wall-clock limits for tests that await (xunit v3 <c>Timeout</c>, in milliseconds). Virtual time is driven by
/// <c>FakeTimeProvider</c>, so these only bound real work (I/O to loopback servers, CPU); they are generous enough for
/// two concurrent suite runs on two cores and short enough that a hang fails the run with the test's name, not CI's
/// time limit. <c>EveryAwaitingTestHasATimeout</c> enforces that each async test names one of them.
/// </summary>
internal static class TestTimeouts
{
    /// <summary>In-process tests: simulators, parsers, virtual-time orchestration.</summary>
    public const int Default = 60_000;

    /// <summary>Tests that start or talk to an external process (s3rver, node, chromium, the AWS CLI), or spend real time by design (the AWS SDK's retry back-off under injected faults).</summary>
    public const int External = 180_000;
}
