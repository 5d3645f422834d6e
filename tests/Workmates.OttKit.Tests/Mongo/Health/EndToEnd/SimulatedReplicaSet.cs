using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Tests.Mongo.Health.EndToEnd;

/// <summary>Simulator set-ups shared by the end-to-end health tests (registration and CLI).</summary>
internal static class SimulatedReplicaSet
{
    /// <summary>Short client timeouts so that unreachable members and failures surface quickly.</summary>
    public const string ClientOptions = "heartbeatFrequencyMS=500&serverSelectionTimeoutMS=3000&connectTimeoutMS=1000";

    public const string User = "monitor";

    public const string Password = "monitor-Pass1";

    /// <summary>
    /// A three-member set that passes every rule: members up for a day (no recent restart), each voter in its own
    /// availability zone, and a monitoring user holding clusterMonitor.
    /// </summary>
    public static ReplicaSetSimulator StartHealthy()
    {
        var simulator = ReplicaSetSimulator.Start();
        string[] zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
        foreach (var member in simulator.Members)
        {
            member.StartedAt = DateTimeOffset.UtcNow - TimeSpan.FromDays(1);
            member.Tags["az"] = zones[member.Index];
        }

        simulator.AddUser(User, Password);
        return simulator;
    }

    public static string Uri(ReplicaSetSimulator simulator, string user = User, string password = Password) =>
        simulator.ConnectionString(user, password, ClientOptions);
}
