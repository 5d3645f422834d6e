namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// Chooses the size of every part of a multipart upload so the object fits in S3's 10,000 parts.
/// <para>
/// Known estimate E: the base part size is <c>P = clamp(roundUpToMiB(E / 8,000), 5 MiB, 5 GiB)</c>, so the
/// estimate fills 8,000 parts. Parts 1–8,000 are P; should the object outgrow its estimate, parts 8,001–10,000 double
/// every 250 parts (2P, 4P, … 256P, never above 5 GiB), which holds about 17 × E before the limit.
/// Unknown estimate (0): parts start at 8 MiB and double every 1,000 parts, which reaches S3's 5 TiB object limit
/// inside 10,000 parts while small objects keep small parts.
/// </para>
/// Memory held by an upload is at most (MaxParallelParts + 1) × the current part size.
/// </summary>
/// <param name="BasePartSize">Size of the first parts.</param>
/// <param name="FlatParts">How many parts keep the base size.</param>
/// <param name="PartsPerDoubling">After the flat parts, the size doubles every this many parts.</param>
internal sealed record PartSizePlan(long BasePartSize, int FlatParts, int PartsPerDoubling)
{
    public const long MinPartSize = 5L * 1024 * 1024;
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;
    public const int MaxParts = 10_000;
    public const long MaxObjectSize = 5L * 1024 * 1024 * 1024 * 1024;
    private const long MiB = 1024 * 1024;

    /// <summary>The plan for an object of about <paramref name="estimatedSizeBytes"/> (0 or less: unknown).</summary>
    public static PartSizePlan For(long estimatedSizeBytes)
    {
        if (estimatedSizeBytes <= 0)
        {
            return new PartSizePlan(8 * MiB, 1_000, 1_000);
        }

        var perPart = (estimatedSizeBytes + 7_999) / 8_000;
        var roundedUp = (perPart + MiB - 1) / MiB * MiB;
        return new PartSizePlan(Math.Clamp(roundedUp, MinPartSize, MaxPartSize), 8_000, 250);
    }

    /// <summary>Size of part <paramref name="partNumber"/> (1-based); the last part may be shorter.</summary>
    public long SizeOf(int partNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partNumber, 1);
        if (partNumber <= FlatParts)
        {
            return BasePartSize;
        }

        var doublings = Math.Min(((partNumber - FlatParts - 1) / PartsPerDoubling) + 1, 30);
        return Math.Min(MaxPartSize, BasePartSize << doublings);
    }

    /// <summary>The largest object the plan holds in <see cref="MaxParts"/> parts.</summary>
    public long Capacity
    {
        get
        {
            long total = 0;
            for (var part = 1; part <= MaxParts; part++)
            {
                total += SizeOf(part);
            }

            return total;
        }
    }
}
