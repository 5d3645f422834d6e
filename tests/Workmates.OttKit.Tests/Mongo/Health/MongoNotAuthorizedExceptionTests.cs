using Workmates.OttKit.Mongo.Health;

namespace Workmates.OttKit.Tests.Mongo.Health;

public sealed class MongoNotAuthorizedExceptionTests
{
    [Fact]
    public void Message_UserAndCommand_NamesBothAndTheRole()
    {
        var exception = new MongoNotAuthorizedException("ottkit-monitor", "replSetGetConfig");

        Assert.Equal("not authorized to run replSetGetConfig: grant the clusterMonitor role to ottkit-monitor", exception.Message);
        Assert.Equal("ottkit-monitor", exception.UserName);
        Assert.Equal("replSetGetConfig", exception.CommandName);
    }

    [Fact]
    public void Remedy_UnknownUser_NamesTheMonitoringUser()
    {
        Assert.Equal("grant the clusterMonitor role to the monitoring user", new MongoNotAuthorizedException().Remedy);
    }
}
