using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Mongo.Wire.Discovery;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class TopologyTests
{
    private static HelloResult Primary(long counter) => new()
    {
        Ok = true,
        IsWritablePrimary = true,
        SetName = "rs",
        Hosts = ["a:27017"],
        MaxWireVersion = 21,
        TopologyVersion = new TopologyVersion(ObjectIdValue.Parse("000000000000000000000001"), counter),
    };

    [Fact]
    public void Round_trip_time_is_an_exponentially_weighted_average()
    {
        var topology = new Topology(MongoConnectionString.Parse("mongodb://a/?replicaSet=rs"));

        topology.ApplyHello("a:27017", Primary(1), TimeSpan.FromMilliseconds(10));
        topology.ApplyHello("a:27017", Primary(2), TimeSpan.FromMilliseconds(20));

        Assert.Equal(TimeSpan.FromMilliseconds(12), topology.Description.Servers["a:27017"].RoundTripTime);
    }

    [Fact]
    public void A_failed_monitor_check_marks_the_server_unknown_and_clears_its_pool()
    {
        var topology = new Topology(MongoConnectionString.Parse("mongodb://a/?replicaSet=rs"));
        topology.ApplyHello("a:27017", Primary(1));

        topology.ApplyHello("a:27017", hello: null, error: "connection refused");

        Assert.Equal(ServerType.Unknown, topology.Description.Servers["a:27017"].Type);
        Assert.Equal("connection refused", topology.Description.Servers["a:27017"].Error);
        Assert.Equal(1, topology.PoolGeneration("a:27017"));
        Assert.Equal(TopologyType.ReplicaSetNoPrimary, topology.Description.Type);
    }

    [Fact]
    public void A_write_concern_error_with_a_state_change_code_marks_the_primary_unknown()
    {
        var topology = new Topology(MongoConnectionString.Parse("mongodb://a/?replicaSet=rs"));
        topology.ApplyHello("a:27017", Primary(1));

        topology.ApplyApplicationError(new ApplicationError("a:27017", ErrorPhase.AfterHandshakeCompletes, ApplicationErrorKind.Command, 21,
            Reply: new CommandErrorReply(Ok: true, Code: null, ErrorMessage: null, TopologyVersion: null, WriteConcernErrorCode: 10107)));

        Assert.Equal(ServerType.Unknown, topology.Description.Servers["a:27017"].Type);
        Assert.Equal(0, topology.PoolGeneration("a:27017"));
    }

    [Fact]
    public void Hello_addresses_are_compared_case_insensitively()
    {
        var topology = new Topology(MongoConnectionString.Parse("mongodb://A:27017/?replicaSet=rs"));

        topology.ApplyHello("A:27017", Primary(1) with { Hosts = ["A:27017", "B:27017"] });

        Assert.Equal(["a:27017", "b:27017"], topology.Description.Servers.Keys);
    }

    [Fact]
    public void Election_ids_order_byte_wise()
    {
        Assert.True(ObjectIdValue.Parse("7fffffff000000000000000a") < ObjectIdValue.Parse("800000000000000000000001"));
        Assert.Equal("00000000000000000000000f", ObjectIdValue.FromBytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15]).ToString());
    }
}
