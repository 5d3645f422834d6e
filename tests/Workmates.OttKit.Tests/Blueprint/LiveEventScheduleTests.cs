using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class LiveEventScheduleTests
{
    // The Blacksheep marathon: 2 to 6 November 2020, 110 hours of streaming, 50 celebrity slots.
    private static readonly LiveEventSpec Marathon = new()
    {
        Name = "marathon",
        StartUtc = TestSpecs.At(2020, 11, 2, 4),
        EndUtc = TestSpecs.At(2020, 11, 6, 18),
        PreWarmMinutes = 90,
        RestoreAfterMinutes = 30,
        Slots = 50,
        Services = [new LiveEventServiceSpec { Service = "web", MinTasks = 12, MaxTasks = 60 }],
    };

    [Fact]
    public void Marathon_LastsOneHundredTenHours() => Assert.Equal(TimeSpan.FromHours(110), Marathon.Duration);

    [Fact]
    public void Marathon_HasFiftyContiguousSlotsOf132Minutes()
    {
        var slots = Marathon.SlotWindows();
        Assert.Equal(50, slots.Count);
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(132), s.Length));
        Assert.Equal(Marathon.StartUtc, slots[0].Start);
        Assert.Equal(Marathon.EndUtc, slots[^1].End);
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
    }

    [Fact]
    public void PreWarmStart_IsStartMinusPreWarm() =>
        Assert.Equal(TestSpecs.At(2020, 11, 2, 2, 30), Marathon.PreWarmStartUtc);

    [Fact]
    public void RestoreAt_IsEndPlusRestoreDelay() =>
        Assert.Equal(TestSpecs.At(2020, 11, 6, 18, 30), Marathon.RestoreAtUtc);

    [Fact]
    public void PreWarm_CrossingMidnight_LandsOnThePreviousDay()
    {
        var ev = Marathon with { StartUtc = TestSpecs.At(2020, 11, 2, 0, 30), PreWarmMinutes = 60 };
        Assert.Equal(TestSpecs.At(2020, 11, 1, 23, 30), ev.PreWarmStartUtc);
    }

    [Fact]
    public void Window_SpansPreWarmToRestore() =>
        Assert.Equal(new TimeWindow(Marathon.PreWarmStartUtc, Marathon.RestoreAtUtc), LiveEventSchedule.Window(Marathon));

    [Fact]
    public void FindOverlaps_EventStartingInTheRestoreTail_Overlaps()
    {
        var encore = Marathon with { Name = "encore", StartUtc = TestSpecs.At(2020, 11, 6, 20), EndUtc = TestSpecs.At(2020, 11, 6, 22), PreWarmMinutes = 100, Slots = 1 };
        Assert.Equal([(0, 1, "web")], LiveEventSchedule.FindOverlaps([Marathon, encore]));
    }

    [Fact]
    public void FindOverlaps_WindowsThatOnlyTouch_DoNotOverlap()
    {
        // The encore's pre-warm starts exactly when the marathon's capacity is restored: half-open windows.
        var encore = Marathon with { Name = "encore", StartUtc = TestSpecs.At(2020, 11, 6, 19, 30), EndUtc = TestSpecs.At(2020, 11, 6, 22), PreWarmMinutes = 60, Slots = 1 };
        Assert.Empty(LiveEventSchedule.FindOverlaps([Marathon, encore]));
    }

    [Fact]
    public void FindOverlaps_SameTimeDifferentServices_DoNotOverlap()
    {
        var other = Marathon with { Name = "other", Services = [new LiveEventServiceSpec { Service = "api", MinTasks = 2, MaxTasks = 10 }] };
        Assert.Empty(LiveEventSchedule.FindOverlaps([Marathon, other]));
    }

    [Fact]
    public void SlotWindows_EventEndingBeforeStart_IsEmpty() =>
        Assert.Empty((Marathon with { EndUtc = Marathon.StartUtc.AddHours(-1) }).SlotWindows());
}
