using System.Diagnostics;
using System.Text.Json;
using Workmates.OttKit.Simulators.Mongo;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Mongo.Client;

/// <summary>
/// Proves the simulator speaks the real protocol: the official Node.js driver (npm <c>mongodb</c>) discovers the set,
/// authenticates with SCRAM-SHA-256 and runs hello, replSetGetStatus, insert and find with getMore against it.
/// </summary>
public sealed class NodeDriverSimulatorTests
{
    [Fact(Timeout = TestTimeouts.External)]
    public async Task OfficialNodeDriver_AgainstSimulator_RunsHelloStatusInsertAndFindWithGetMore()
    {
        var driver = Path.Combine(RepositoryPaths.NodeTools, "mongodb", "package.json");
        if (!File.Exists(driver) || !NodeAvailable())
        {
            var reason = $"node or the npm 'mongodb' package is missing ({driver}); run `cd tests/tools && npm ci`.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        await using var simulator = ReplicaSetSimulator.Start();
        simulator.AddUser("ottkit", "node-Pass1");
        var script = Path.Combine(RepositoryPaths.Root, "tests", "Workmates.OttKit.Tests", "Mongo", "Client", "NodeDriver", "simulator-check.cjs");

        var (exitCode, output, error) = await RunNodeAsync(script, simulator.ConnectionString("ottkit", "node-Pass1", seeds: 1));

        Assert.True(exitCode == 0, $"node exited with {exitCode}: {error}");
        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = result.RootElement;
        Assert.True(root.GetProperty("isWritablePrimary").GetBoolean());
        Assert.Equal("rs0", root.GetProperty("setName").GetString());
        Assert.Equal(["PRIMARY", "SECONDARY", "SECONDARY"], root.GetProperty("statusMembers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(7, root.GetProperty("insertedCount").GetInt32());
        Assert.Equal(Enumerable.Range(0, 7), root.GetProperty("foundIds").EnumerateArray().Select(e => e.GetInt32()));
        var commands = simulator.ReceivedCommands.ToList();
        Assert.Contains(commands, c => c.Name == "getMore");
        Assert.Contains(commands, c => c.Name == "insert");
        Assert.Contains(commands, c => c.Name == "saslContinue");
        // The driver sends its first handshake as legacy OP_QUERY isMaster (speculative SCRAM inside it), then OP_MSG.
        Assert.Contains(commands, c => c.Name is "hello" or "ismaster" or "isMaster" && c.Body.TryGetValue("speculativeAuthenticate", out var s) && s.AsDocument["mechanism"].AsString == "SCRAM-SHA-256");
        Assert.All(commands.Where(c => c.Name is "find" or "getMore" or "insert" or "replSetGetStatus"), c => Assert.False(c.LegacyOpQuery));
        TestContext.Current.TestOutputHelper?.WriteLine($"node driver saw: {output.Trim()}; simulator received {commands.Count} commands ({string.Join(", ", commands.Select(c => c.Name).Distinct())})");
    }

    private static bool NodeAvailable()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            process?.WaitForExit(10_000);
            return process is { ExitCode: 0 };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunNodeAsync(string script, string connectionString)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(connectionString);
        start.Environment["NODE_PATH"] = RepositoryPaths.NodeTools;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
