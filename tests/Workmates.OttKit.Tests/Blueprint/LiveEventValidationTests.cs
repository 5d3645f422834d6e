using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class LiveEventValidationTests
{
    private static EnvironmentSpec WithEvent(Func<LiveEventSpec, LiveEventSpec> change)
    {
        var spec = TestSpecs.Valid();
        return spec with { LiveEvents = [change(spec.LiveEvents[0])] };
    }

    [Fact]
    public void Validate_EventEndingBeforeItStarts_ReportsEndUtc() =>
        WithEvent(e => e with { EndUtc = e.StartUtc.AddHours(-1) }).SingleProblemAt("liveEvents[0].endUtc");

    [Fact]
    public void Validate_LocalStartTime_ReportsStartUtcWithTheUtcEquivalent()
    {
        var problem = WithEvent(e => e with { StartUtc = new DateTimeOffset(2020, 11, 2, 9, 30, 0, TimeSpan.FromHours(5.5)) }).SingleProblemAt("liveEvents[0].startUtc");
        Assert.Contains("2020-11-02T04:00:00Z", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LocalEndTime_ReportsEndUtc() =>
        WithEvent(e => e with { EndUtc = new DateTimeOffset(2020, 11, 2, 13, 30, 0, TimeSpan.FromHours(5.5)) }).SingleProblemAt("liveEvents[0].endUtc");

    [Fact]
    public void Validate_PreWarmLongerThanADay_ReportsPreWarmMinutes() =>
        WithEvent(e => e with { PreWarmMinutes = 2000 }).SingleProblemAt("liveEvents[0].preWarmMinutes");

    [Fact]
    public void Validate_NegativeRestoreDelay_ReportsRestoreAfterMinutes() =>
        WithEvent(e => e with { RestoreAfterMinutes = -5 }).SingleProblemAt("liveEvents[0].restoreAfterMinutes");

    [Fact]
    public void Validate_SlotsThatDoNotDivideIntoMinutes_ReportsSlots() =>
        WithEvent(e => e with { Slots = 7 }).SingleProblemAt("liveEvents[0].slots");

    [Fact]
    public void Validate_EventForUnknownService_ReportsTheService() =>
        WithEvent(e => e with { Services = [new LiveEventServiceSpec { Service = "chat", MinTasks = 2, MaxTasks = 10 }] }).SingleProblemAt("liveEvents[0].services[0].service");

    [Fact]
    public void Validate_EventLoweringTheFloor_ReportsMinTasks() =>
        WithEvent(e => e with { Services = [new LiveEventServiceSpec { Service = "api", MinTasks = 1, MaxTasks = 20 }] }).SingleProblemAt("liveEvents[0].services[0].minTasks");

    [Fact]
    public void Validate_EventLoweringTheCeiling_ReportsMaxTasks() =>
        WithEvent(e => e with { Services = [new LiveEventServiceSpec { Service = "api", MinTasks = 2, MaxTasks = 5 }] }).SingleProblemAt("liveEvents[0].services[0].maxTasks");

    [Fact]
    public void Validate_EventWithoutServices_ReportsServices() =>
        WithEvent(e => e with { Services = [] }).SingleProblemAt("liveEvents[0].services");

    [Fact]
    public void Validate_DuplicateEventName_ReportsTheLaterName()
    {
        var spec = TestSpecs.Valid();
        var second = spec.LiveEvents[0] with { StartUtc = TestSpecs.At(2020, 12, 1, 0), EndUtc = TestSpecs.At(2020, 12, 1, 4) };
        (spec with { LiveEvents = [spec.LiveEvents[0], second] }).SingleProblemAt("liveEvents[1].name");
    }

    [Fact]
    public void Validate_OverlappingEventsForTheSameService_ReportsTheLaterStart()
    {
        var spec = TestSpecs.Valid();
        var second = spec.LiveEvents[0] with { Name = "encore", StartUtc = TestSpecs.At(2020, 11, 2, 8, 30), EndUtc = TestSpecs.At(2020, 11, 2, 10) };
        var problem = (spec with { LiveEvents = [spec.LiveEvents[0], second] }).SingleProblemAt("liveEvents[1].startUtc");
        Assert.Contains("'api'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverlappingEventsForDifferentServices_IsAccepted()
    {
        var spec = TestSpecs.Valid();
        var second = spec.LiveEvents[0] with
        {
            Name = "encore",
            StartUtc = TestSpecs.At(2020, 11, 2, 8, 30),
            EndUtc = TestSpecs.At(2020, 11, 2, 10),
            Services = [new LiveEventServiceSpec { Service = "web", MinTasks = 2, MaxTasks = 10 }],
        };
        Assert.Empty((spec with { LiveEvents = [spec.LiveEvents[0], second] }).Validate());
    }

    [Fact]
    public void Validate_ScheduleWithBadCron_ReportsStartCron() =>
        (TestSpecs.Valid() with { ScheduledScaling = [Schedule() with { StartCron = "0 8 * * 1-5" }] }).SingleProblemAt("scheduledScaling[0].startCron");

    [Fact]
    public void Validate_ScheduleCronWithoutQuestionMark_ReportsEndCron() =>
        (TestSpecs.Valid() with { ScheduledScaling = [Schedule() with { EndCron = "cron(0 17 * * MON-FRI *)" }] }).SingleProblemAt("scheduledScaling[0].endCron");

    [Fact]
    public void Validate_ScheduleWithUnknownTimeZone_ReportsTimeZone() =>
        (TestSpecs.Valid() with { ScheduledScaling = [Schedule() with { TimeZone = "India/Delhi" }] }).SingleProblemAt("scheduledScaling[0].timeZone");

    [Fact]
    public void Validate_ScheduleNamedLikeAnEvent_ReportsName() =>
        (TestSpecs.Valid() with { ScheduledScaling = [Schedule() with { Name = "launch" }] }).SingleProblemAt("scheduledScaling[0].name");

    [Fact]
    public void Validate_ScheduleInIndianTime_IsAccepted() =>
        Assert.Empty((TestSpecs.Valid() with { ScheduledScaling = [Schedule()] }).Validate());

    private static ScheduledScalingSpec Schedule() => new()
    {
        Name = "school-hours",
        StartCron = "cron(30 7 ? * MON-SAT *)",
        EndCron = "cron(0 18 ? * MON-SAT *)",
        TimeZone = "Asia/Kolkata",
        Services = [new LiveEventServiceSpec { Service = "api", MinTasks = 4, MaxTasks = 10 }],
    };
}
