using System.Globalization;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Mongo.Backup;

/// <summary>A replica-set member as the source selection sees it.</summary>
/// <param name="Host">host:port.</param>
/// <param name="State">replSetGetStatus state (1 primary, 2 secondary, 7 arbiter…).</param>
/// <param name="Healthy">health == 1.</param>
/// <param name="Hidden">Hidden in the config.</param>
/// <param name="Arbiter">arbiterOnly in the config (or state 7).</param>
/// <param name="Delayed">secondaryDelaySecs (or slaveDelay) above zero.</param>
/// <param name="Lag">How far its optime trails the primary's (or the freshest member's).</param>
internal sealed record BackupCandidate(string Host, int State, bool Healthy, bool Hidden, bool Arbiter, bool Delayed, TimeSpan Lag);

/// <summary>The member chosen, and why the others were not.</summary>
internal sealed record BackupSourceChoice(BackupCandidate Member, IReadOnlyList<string> Rejected);

/// <summary>
/// Chooses the member a backup reads from: a healthy secondary within the lag limit (hidden ones first, then the least
/// lag), never an arbiter or a delayed member; the primary only when allowed and no secondary qualifies.
/// </summary>
internal static class BackupSourceSelector
{
    public static async Task<BackupSourceChoice> ChooseAsync(MongoDriverClient client, bool allowPrimary, TimeSpan maxLag, CancellationToken cancellationToken)
    {
        var status = await client.GetReplicaSetStatusAsync(cancellationToken).ConfigureAwait(false);
        var config = await client.GetReplicaSetConfigAsync(cancellationToken).ConfigureAwait(false);
        return Choose(Candidates(status, config), allowPrimary, maxLag);
    }

    public static List<BackupCandidate> Candidates(BsonDocument status, BsonDocument config)
    {
        var configured = new Dictionary<string, BsonDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in config["members"].AsArray)
        {
            configured[member.AsDocument["host"].AsString] = member.AsDocument;
        }

        var members = status["members"].AsArray.Select(m => m.AsDocument).ToList();
        static ulong OpTime(BsonDocument member) =>
            member.TryGetValue("optime", out var optime) && optime.Type == BsonType.Document && optime.AsDocument.TryGetValue("ts", out var ts) && ts.Type == BsonType.Timestamp
                ? ts.AsTimestamp.Value
                : 0;
        var primary = members.FirstOrDefault(m => Int(m, "state") == 1);
        var reference = primary is not null ? OpTime(primary) : members.Select(OpTime).DefaultIfEmpty(0UL).Max();
        var result = new List<BackupCandidate>();
        foreach (var member in members)
        {
            var host = member["name"].AsString;
            var cfg = configured.GetValueOrDefault(host);
            var lagSeconds = (long)(reference >> 32) - (long)(OpTime(member) >> 32);
            result.Add(new BackupCandidate(
                host,
                Int(member, "state"),
                member.TryGetValue("health", out var health) && health.IsNumeric && Number(health) == 1,
                cfg is not null && Bool(cfg, "hidden"),
                (cfg is not null && Bool(cfg, "arbiterOnly")) || Int(member, "state") == 7,
                cfg is not null && (Int(cfg, "secondaryDelaySecs") > 0 || Int(cfg, "slaveDelay") > 0),
                TimeSpan.FromSeconds(Math.Max(0, lagSeconds))));
        }

        return result;
    }

    public static BackupSourceChoice Choose(IReadOnlyList<BackupCandidate> candidates, bool allowPrimary, TimeSpan maxLag)
    {
        var rejected = new List<string>();
        var eligible = new List<BackupCandidate>();
        foreach (var member in candidates)
        {
            var why = member switch
            {
                { Arbiter: true } => "an arbiter holds no data",
                { Healthy: false } => "not healthy",
                { Delayed: true } => "a delayed member",
                { State: 1 } => null,
                { State: not 2 } => $"state {member.State} is not SECONDARY",
                _ when member.Lag > maxLag => string.Create(CultureInfo.InvariantCulture, $"lag {member.Lag.TotalSeconds:0} s is above the limit {maxLag.TotalSeconds:0} s"),
                _ => null,
            };
            if (why is not null)
            {
                rejected.Add($"{member.Host}: {why}");
            }
            else if (member.State == 2)
            {
                eligible.Add(member);
            }
        }

        var best = eligible.OrderByDescending(m => m.Hidden).ThenBy(m => m.Lag).ThenBy(m => m.Host, StringComparer.Ordinal).FirstOrDefault();
        if (best is not null)
        {
            return new BackupSourceChoice(best, rejected);
        }

        var primary = candidates.FirstOrDefault(m => m is { State: 1, Healthy: true });
        if (primary is not null && allowPrimary)
        {
            return new BackupSourceChoice(primary, rejected);
        }

        var reasons = rejected.Count == 0 ? "no secondary in the set" : string.Join("; ", rejected);
        var fix = primary is not null ? " Fix the secondaries, or allow the primary (AllowPrimary / --allow-primary)." : " Fix the secondaries.";
        throw new MongoBackupException(MongoBackupFailureReason.NoEligibleSource, $"No member may serve the backup: {reasons}.{fix}");
    }

    private static int Int(BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && value.IsNumeric ? (int)Number(value) : 0;

    private static bool Bool(BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && value.Type == BsonType.Boolean && value.AsBoolean;

    private static double Number(BsonValue value) => value.Type switch
    {
        BsonType.Int32 => value.AsInt32,
        BsonType.Int64 => value.AsInt64,
        BsonType.Double => value.AsDouble,
        _ => 0,
    };
}
