using Workmates.OttKit.Mongo.Backup;

namespace Workmates.OttKit.Tests.Mongo.Backup;

/// <summary>The one progress counter behind backup and restore events (issue #17: the two copies became this type).</summary>
public sealed class ProgressCounterTests
{
    [Fact]
    public void Events_CarryTheTotalsOfEveryThreadAtTheMomentTheyAreReported()
    {
        var log = new BackupFixture.ProgressLog();
        var counter = new ProgressCounter(log) { Total = 3 };

        counter.Report(BackupStage.Preparing, "starting", null);
        System.Threading.Tasks.Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 1000; i++)
            {
                counter.Add(2, 100);
            }
        });
        counter.NamespaceDone(BackupStage.Collections, "dumped ott.videos (8000 documents)", "ott.videos");
        counter.NamespaceDone(BackupStage.Oplog, "copied 0 oplog entries", "local.oplog.rs");

        Assert.Equal(
            [
                new BackupProgress(BackupStage.Preparing, "starting", null, 0, 0, 0, 3),
                new BackupProgress(BackupStage.Collections, "dumped ott.videos (8000 documents)", "ott.videos", 8000, 400_000, 1, 3),
                new BackupProgress(BackupStage.Oplog, "copied 0 oplog entries", "local.oplog.rs", 8000, 400_000, 2, 3),
            ],
            log.Events);
    }
}
