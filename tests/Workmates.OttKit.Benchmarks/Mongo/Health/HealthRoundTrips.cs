using System.Globalization;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;
using Workmates.OttKit.Mongo.Health;
using Workmates.OttKit.Simulators.Mongo;

namespace Workmates.OttKit.Benchmarks.Mongo.Health;

/// <summary>
/// <c>health-round-trips [--members N] [--evaluations N]</c>: "round trips per evaluation" of the health check's status
/// source (<see cref="ConnectionStringStatusSource"/>, the one <c>AddMongoReplicaSet(name, connectionString)</c>
/// registers) against the replica-set simulator, counted at the simulator per member. The driver's own traffic
/// (monitoring <c>hello</c>, handshakes, authentication, <c>endSessions</c>) is listed apart: it runs per
/// <c>heartbeatFrequencyMS</c>, not per evaluation. Prints the first evaluation, the steady state (mean of the rest) and
/// the busiest member; the target is at most 2 per member.
/// </summary>
internal static class HealthRoundTrips
{
    private static readonly HashSet<string> s_driverOwn = new(StringComparer.OrdinalIgnoreCase) { "hello", "isMaster", "ismaster", "saslStart", "saslContinue", "endSessions", "buildInfo" };

    public static int Run(string[] args)
    {
        var members = 3;
        var evaluations = 20;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--members":
                    members = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--evaluations":
                    evaluations = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        return RunAsync(members, evaluations).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int memberCount, int evaluations)
    {
        await using var simulator = ReplicaSetSimulator.Start(memberCount: memberCount);
        simulator.AddUser("monitor", "monitor-Pass1");
        simulator.Data.Insert("ott", "videos", new BsonDocument("_id", 1));
        var uri = MongoConnectionString.Parse(simulator.ConnectionString("monitor", "monitor-Pass1", "heartbeatFrequencyMS=10000&serverSelectionTimeoutMS=10000"));
        await using var source = new ConnectionStringStatusSource(uri, TimeProvider.System, null);

        var perEvaluation = new List<List<ReceivedCommand>>();
        for (var i = 0; i < evaluations; i++)
        {
            var before = simulator.ReceivedCommands.Count;
            _ = await source.ObserveAsync(CancellationToken.None).ConfigureAwait(false);
            perEvaluation.Add([.. simulator.ReceivedCommands.Skip(before)]);
        }

        static string Describe(IEnumerable<ReceivedCommand> commands) =>
            string.Join("; ", commands.GroupBy(c => c.Member).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Name))}"));

        var counted = perEvaluation.Select(e => e.Where(c => !s_driverOwn.Contains(c.Name)).ToList()).ToList();
        var busiest = counted.Max(e => e.GroupBy(c => c.Member).Select(g => g.Count()).DefaultIfEmpty(0).Max());
        var steady = counted.Skip(1).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"health round trips per evaluation ({memberCount} members, {evaluations} evaluations)"));
        Console.WriteLine($"  first evaluation:  {counted[0].Count} round trips ({Describe(counted[0])})");
        if (steady.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  steady state:      {steady.Average(e => e.Count):0.##} round trips per evaluation ({Describe(steady[^1])})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  busiest member:    {busiest} per evaluation (target <= 2)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  driver's own, all evaluations: {perEvaluation.Sum(e => e.Count(c => s_driverOwn.Contains(c.Name)))} ({string.Join(", ", perEvaluation.SelectMany(e => e).Where(c => s_driverOwn.Contains(c.Name)).GroupBy(c => c.Name).Select(g => $"{g.Key} x{g.Count()}"))})"));
        return busiest <= 2 ? 0 : 1;
    }
}
