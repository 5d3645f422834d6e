namespace Workmates.OttKit.Mongo.Health;

/// <summary>The state of a replica-set member, as the numeric <c>state</c> field of <c>replSetGetStatus</c> reports it.</summary>
public enum ReplicaSetMemberState
{
    /// <summary>0: not yet an active member; parsing its configuration.</summary>
    Startup = 0,

    /// <summary>1: the only member that accepts writes.</summary>
    Primary = 1,

    /// <summary>2: replicates the oplog; can vote and become primary.</summary>
    Secondary = 2,

    /// <summary>3: running self-checks or catching up after a rollback or resync; cannot serve reads.</summary>
    Recovering = 3,

    /// <summary>4: historical unrecoverable error state (removed in modern servers).</summary>
    Fatal = 4,

    /// <summary>5: initial sync in progress.</summary>
    Startup2 = 5,

    /// <summary>6: the state has not been learned from a heartbeat yet.</summary>
    Unknown = 6,

    /// <summary>7: votes only and holds no data.</summary>
    Arbiter = 7,

    /// <summary>8: unreachable from the member that answered.</summary>
    Down = 8,

    /// <summary>9: rolling back writes that never reached a majority.</summary>
    Rollback = 9,

    /// <summary>10: was once in the set and has been removed from the configuration.</summary>
    Removed = 10,
}
