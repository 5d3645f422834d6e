using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Rehearsal;

/// <summary>
/// The third rehearsed environment is what <c>ottkit new</c> writes with every commented-out section turned on
/// (<see cref="SampleSpecs.Scaffold"/>): this proves the turning-on did turn each one on, so the rehearsal theories over
/// <see cref="SampleSpecs.Rehearsed"/> exercise media, the VPN, people's access, CI, live events, scheduled scaling and service secrets.
/// </summary>
public sealed class ScaffoldRehearsalTests
{
    [Fact]
    public void The_rehearsed_scaffold_has_every_optional_section_on_and_validates()
    {
        var spec = SampleSpecs.Scaffold();

        Assert.Equal("acme-tv", spec.Name);
        Assert.NotNull(spec.Media);
        Assert.NotNull(spec.AdminAccess);
        Assert.NotNull(spec.Access);
        Assert.NotNull(spec.Ci);
        Assert.NotNull(spec.Database);
        Assert.NotEmpty(spec.LiveEvents);
        Assert.NotEmpty(spec.ScheduledScaling);
        Assert.Contains(spec.Services, s => s.Secrets.Count > 0);
        Assert.Empty(spec.Validate());
    }
}
