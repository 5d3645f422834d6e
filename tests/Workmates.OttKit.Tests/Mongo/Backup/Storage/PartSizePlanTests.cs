using Workmates.OttKit.Mongo.Backup.Storage;

namespace Workmates.OttKit.Tests.Mongo.Backup.Storage;

public sealed class PartSizePlanTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    [Theory]
    [InlineData(1L, 5 * MiB)]
    [InlineData(50 * MiB, 5 * MiB)]
    [InlineData(40 * GiB, 6 * MiB)]
    [InlineData(1024 * GiB, 132 * MiB)]
    [InlineData(5 * 1024 * GiB, 656 * MiB)]
    public void Base_part_size_is_the_estimate_over_8000_parts_rounded_up_to_a_MiB_and_at_least_5_MiB(long estimate, long expected)
    {
        Assert.Equal(expected, PartSizePlan.For(estimate).BasePartSize);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(50 * MiB)]
    [InlineData(40 * GiB)]
    [InlineData(1024 * GiB)]
    [InlineData(5 * 1024 * GiB)]
    public void Every_part_is_between_5_MiB_and_5_GiB_and_the_estimate_fits_with_room_to_spare(long estimate)
    {
        var plan = PartSizePlan.For(estimate);

        var sizes = Enumerable.Range(1, PartSizePlan.MaxParts).Select(plan.SizeOf).ToList();

        Assert.All(sizes, s => Assert.InRange(s, PartSizePlan.MinPartSize, PartSizePlan.MaxPartSize));
        Assert.True(plan.Capacity >= Math.Max(estimate, 1) * 4 || plan.Capacity >= PartSizePlan.MaxObjectSize, $"capacity {plan.Capacity} for estimate {estimate}");
        Assert.True(sizes.Zip(sizes.Skip(1)).All(p => p.First <= p.Second), "part sizes never shrink");
    }

    [Fact]
    public void Without_an_estimate_the_plan_holds_S3s_5_TiB_maximum()
    {
        var plan = PartSizePlan.For(0);

        Assert.Equal(8 * MiB, plan.SizeOf(1));
        Assert.True(plan.Capacity >= PartSizePlan.MaxObjectSize);
    }

    [Fact]
    public void Parts_double_after_the_planned_8000_when_the_object_outgrows_its_estimate()
    {
        var plan = PartSizePlan.For(40 * GiB);

        Assert.Equal(6 * MiB, plan.SizeOf(8000));
        Assert.Equal(12 * MiB, plan.SizeOf(8001));
        Assert.Equal(24 * MiB, plan.SizeOf(8251));
        Assert.True(plan.Capacity >= 16 * 40 * GiB);
    }
}
