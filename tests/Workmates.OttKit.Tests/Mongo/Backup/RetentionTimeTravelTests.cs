using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Mongo.Bson;
using Workmates.OttKit.Simulators;
using Workmates.OttKit.Simulators.Storage;
using Workmates.OttKit.Tests.Blueprint;
using Workmates.OttKit.Tests.Infrastructure;
using static Workmates.OttKit.Tests.Mongo.Backup.BackupFixture;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>
/// Retention keeps the newest good backup: the backup bucket's synthesized lifecycle and prune, applied day after day
/// on a virtual clock, through five daily backups and then forty days in which every backup fails.
/// </summary>
public sealed class RetentionTimeTravelTests
{
    private const string Prefix = "tests/mongo";

    /// <summary>The lifecycle rules of the synthesized backup bucket of a spec.</summary>
    private static CfnList BackupBucketRules(EnvironmentSpec spec)
    {
        var stacks = spec.Synthesize();
        var bucket = stacks.Stacks.SelectMany(s => s.Template.Resources.Values).Single(r => r.LogicalId == "BackupBucket");
        return (CfnList)((CfnObject)bucket.Properties["LifecycleConfiguration"])["Rules"];
    }

    /// <summary>
    /// What S3 does with these rules to an unversioned view of the bucket: a current object older than an enabled
    /// rule's <c>ExpirationInDays</c> is deleted. Noncurrent versions do not exist in the in-memory store (prune's
    /// deletions are final there), so <c>NoncurrentVersionExpiration</c> has nothing to act on.
    /// </summary>
    private static async Task<int> ApplyLifecycleAsync(InMemoryBackupObjectStore store, CfnList rules, DateTimeOffset now)
    {
        var deleted = 0;
        foreach (var rule in rules.Cast<CfnObject>())
        {
            if (((CfnScalar)rule["Status"]).Text != "Enabled" || !rule.TryGetValue("ExpirationInDays", out var days))
            {
                continue;
            }

            var limit = TimeSpan.FromDays(int.Parse(((CfnScalar)days).Text ?? "0", CultureInfo.InvariantCulture));
            var expired = new List<string>();
            await foreach (var item in store.ListAsync(string.Empty, Token))
            {
                if (now - item.LastModified >= limit)
                {
                    expired.Add(item.Key);
                }
            }

            foreach (var key in expired)
            {
                await store.DeleteAsync(key, Token);
                deleted++;
            }
        }

        return deleted;
    }

    private static async Task<(string? NewestGood, int Deleted)> LiveThroughAsync(CfnList rules, int retentionDays)
    {
        await using var source = StartSet();
        for (var i = 0; i < 20; i++)
        {
            source.Data.Insert("ott", "videos", new BsonDocument { { "_id", i }, { "title", $"video {i}" } });
        }

        var clock = new VirtualClock();
        var store = new InMemoryBackupObjectStore(clock);
        var catalog = new BackupCatalog(store, Prefix);
        string? lastSuccessful = null;
        var deleted = 0;
        for (var day = 0; day < 45; day++)
        {
            if (day < 5)
            {
                var result = await clock.RunAsync(new BackupRunner(store, clock).RunAsync(BackupOptions(source), Token), cancellationToken: Token);
                lastSuccessful = result.Manifest.BackupId;
            }

            // From day 5 on every scheduled backup fails before writing anything; prune and the lifecycle still run.
            await catalog.PruneAsync(TimeSpan.FromDays(retentionDays), minimumKept: 1, clock.GetUtcNow(), dryRun: false, Token);
            deleted += await ApplyLifecycleAsync(store, rules, clock.GetUtcNow());
            var latest = await catalog.FindAsync(BackupCatalog.Latest, Token);
            if (latest?.BackupId != lastSuccessful)
            {
                return (latest?.BackupId, deleted);
            }

            clock.Advance(TimeSpan.FromDays(1));
        }

        await BackupVerifier.VerifyAsync(store, Prefix, BackupCatalog.Latest, cancellationToken: Token);
        return (lastSuccessful, deleted);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task LifecycleAndPrune_FortyDaysOfFailedBackups_KeepTheNewestGoodBackupRestorable()
    {
        var spec = SampleSpecs.Blacksheep();
        var rules = BackupBucketRules(spec);

        var (newest, _) = await LiveThroughAsync(rules, spec.Backups.RetentionDays);

        Assert.NotNull(newest);
        Assert.DoesNotContain(rules.Cast<CfnObject>(), r => r.ContainsKey("ExpirationInDays"));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task LifecycleAndPrune_TheFormerExpireEverythingRule_WouldHaveDeletedTheNewestGoodBackup()
    {
        // The rule the backup bucket had before issue 16: every object expires after the retention.
        var former = new CfnList { new CfnObject { ["Id"] = "expire-backups", ["Status"] = "Enabled", ["ExpirationInDays"] = 15 } };

        var (newest, deleted) = await LiveThroughAsync(former, 15);

        Assert.Null(newest);
        Assert.True(deleted > 0);
    }
}
