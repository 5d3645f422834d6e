using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Tests.Consistency;

/// <summary>Every <c>[LoggerMessage]</c> in the library has its own event ID, inside its area's range (docs/logging.md).</summary>
public sealed class LogEventIdTests
{
    /// <summary>The ranges per area, longest type-name prefix first wins; docs/logging.md lists the same table.</summary>
    internal static readonly (string Area, int First, int Last)[] Ranges =
    [
        ("Workmates.OttKit.Blueprint", 1000, 1099),
        ("Workmates.OttKit.Outputs", 1100, 1199),
        ("Workmates.OttKit.Deployment.StackDeployer", 2000, 2099),
        ("Workmates.OttKit.Deployment.ServiceDeployer", 2100, 2199),
        ("Workmates.OttKit.Deployment.ImageScanGate", 2200, 2299),
        ("Workmates.OttKit.Patching", 2300, 2399),
        ("Workmates.OttKit.Aws", 2500, 2599),
        ("Workmates.OttKit.Mongo.Client", 3100, 3199),
        ("Workmates.OttKit.Mongo.Health", 4100, 4199),
        ("Workmates.OttKit.Mongo.Backup", 4200, 4299),
        ("Workmates.OttKit.Mongo.Backup.RestoreLog", 4300, 4399),
    ];

    [Fact]
    public void EveryLoggerMessage_HasAnExplicitEventId()
    {
        var messages = LoggerMessages(typeof(OttKitException).Assembly);

        var missing = messages.Where(m => m.Id < 0).Select(m => m.Name).ToList();

        Assert.True(messages.Count >= 20, $"only {messages.Count} [LoggerMessage] methods found: is the reflection still finding them?");
        Assert.True(missing.Count == 0, "[LoggerMessage] without an EventId:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void NoTwoLoggerMessages_ShareAnEventId()
    {
        var duplicates = Duplicates(LoggerMessages(typeof(OttKitException).Assembly));

        Assert.True(duplicates.Count == 0, "Reused event IDs:\n" + string.Join('\n', duplicates));
    }

    [Fact]
    public void EveryEventId_LiesInTheRangeOfItsArea()
    {
        var outside = LoggerMessages(typeof(OttKitException).Assembly)
            .Select(m => (m.Name, m.Id, Range: RangeOf(m.Name)))
            .Where(m => m.Range is not { } r || m.Id < r.First || m.Id > r.Last)
            .Select(m => $"{m.Name} = {m.Id} (area range: {(m.Range is { } r ? $"{r.First}..{r.Last}" : "none: add the area to the table")})")
            .ToList();

        Assert.True(outside.Count == 0, "Event IDs outside their area's range:\n" + string.Join('\n', outside));
    }

    [Fact]
    public void TheDuplicateCheck_FindsAReusedId()
    {
        var duplicates = Duplicates([("A.One", 7), ("B.Two", 7), ("C.Three", 8)]);

        Assert.Equal(["7: A.One, B.Two"], duplicates);
    }

    [Fact]
    public void TheRanges_DoNotOverlap()
    {
        var sorted = Ranges.OrderBy(r => r.First).ToList();

        Assert.All(sorted.Zip(sorted.Skip(1)), p => Assert.True(p.First.Last < p.Second.First, $"{p.First.Area} overlaps {p.Second.Area}"));
    }

    internal static List<(string Name, int Id)> LoggerMessages(Assembly assembly) =>
        [.. from type in assembly.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
            where attribute is not null
            select ($"{type.FullName}.{method.Name}", attribute.EventId)];

    private static List<string> Duplicates(IEnumerable<(string Name, int Id)> messages) =>
        [.. messages.Where(m => m.Id >= 0).GroupBy(m => m.Id).Where(g => g.Count() > 1).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name).Order(StringComparer.Ordinal))}")];

    private static (int First, int Last)? RangeOf(string name) =>
        Ranges.Where(r => name.StartsWith(r.Area + ".", StringComparison.Ordinal) || name.StartsWith(r.Area + "+", StringComparison.Ordinal))
            .OrderByDescending(r => r.Area.Length)
            .Select(r => ((int First, int Last)?)(r.First, r.Last))
            .FirstOrDefault();
}
