using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class ReplicationTimestampTests
{
    [Fact]
    public void CompareTo_SameSecond_OrderedByIncrement()
    {
        var first = new ReplicationTimestamp(1723763173, 1);
        var second = new ReplicationTimestamp(1723763173, 2);

        Assert.True(first < second);
        Assert.True(second >= first);
        Assert.False(first > second);
    }

    [Fact]
    public void CompareTo_LaterSecond_WinsOverLargerIncrement()
    {
        Assert.True(new ReplicationTimestamp(10, 99) < new ReplicationTimestamp(11, 0));
    }

    [Fact]
    public void ToDateTimeOffset_SecondsSinceEpoch()
    {
        Assert.Equal(DateTimeOffset.Parse("2024-08-15T23:06:13Z", System.Globalization.CultureInfo.InvariantCulture), new ReplicationTimestamp(1723763173, 1).ToDateTimeOffset());
    }

    [Fact]
    public void ToString_ShellForm()
    {
        Assert.Equal("Timestamp(1723763173, 1)", new ReplicationTimestamp(1723763173, 1).ToString());
    }
}
