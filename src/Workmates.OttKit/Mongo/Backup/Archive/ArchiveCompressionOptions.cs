using System.IO.Compression;

namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// How the gzip form of a <see cref="MongoArchiveWriter"/> compresses. With more than one worker the archive is cut
/// into blocks of <see cref="BlockSizeBytes"/> that are deflated in parallel (each primed with the 32 KiB before it, as
/// pigz does) and joined into <b>one</b> gzip member with one CRC-32: the same format a single <see cref="GZipStream"/>
/// writes, read by <c>mongorestore --gzip</c>, <c>gzip -d</c> and any other gzip reader.
/// </summary>
/// <remarks>
/// Memory held by the compressor is at most (<see cref="Workers"/> + <see cref="MaxQueuedBlocks"/>) blocks of input
/// plus their compressed output (a buffer of half a block, grown only for data that does not compress): about 25 MiB
/// with the defaults on two cores, about 100 MiB with 8 workers (lower <see cref="BlockSizeBytes"/> there if memory is
/// tight). A writer that gets ahead of the workers waits.
/// </remarks>
public sealed record ArchiveCompressionOptions
{
    /// <summary>
    /// Default block size: 4 MiB (pigz uses 128 KiB). Measured on 2 cores (docs/mongo-backup.md, "Parallel compression"):
    /// with 1 MiB blocks the workers sat idle 12–25 % of the time behind the in-order writer and priming cost 3 % more
    /// deflate work; with 4 MiB blocks they are idle 1–3 % and priming costs 0.8 %.
    /// </summary>
    public const int DefaultBlockSizeBytes = 4 * 1024 * 1024;

    /// <summary>Smallest block size: 64 KiB (twice the deflate window, so a block's dictionary always comes from one block).</summary>
    public const int MinBlockSizeBytes = 64 * 1024;

    /// <summary>Largest block size: 64 MiB.</summary>
    public const int MaxBlockSizeBytes = 64 * 1024 * 1024;

    /// <summary>Largest worker count.</summary>
    public const int MaxWorkers = 64;

    /// <summary>
    /// The default worker count: one per processor, at most 8 (docs/mongo-backup.md, "Parallel compression"). Deflate
    /// costs the same CPU per GB on any thread, so workers beyond the cores only add blocks in flight, and the dumpers,
    /// the CRCs and the upload's SHA-256 need the same cores.
    /// </summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>The gzip level.</summary>
    /// <value>Default: <see cref="CompressionLevel.Fastest"/> (zlib level 1, as <c>pigz -1</c>).</value>
    /// <remarks><see cref="CompressionLevel.Optimal"/> is zlib level 6, <see cref="CompressionLevel.SmallestSize"/> 9,
    /// <see cref="CompressionLevel.NoCompression"/> 0 (stored blocks).</remarks>
    public CompressionLevel Level { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// Blocks deflated at the same time. 1 uses one <see cref="GZipStream"/> on the archive writer's thread (no blocks,
    /// no extra threads), exactly as before parallel compression existed.
    /// </summary>
    /// <value>Default: <see cref="DefaultWorkers"/>; 1 to <see cref="MaxWorkers"/>.</value>
    public int Workers { get; init; } = DefaultWorkers;

    /// <summary>Bytes of archive per block.</summary>
    /// <value>Default: <see cref="DefaultBlockSizeBytes"/>; <see cref="MinBlockSizeBytes"/> to <see cref="MaxBlockSizeBytes"/>.</value>
    public int BlockSizeBytes { get; init; } = DefaultBlockSizeBytes;

    /// <summary>
    /// Blocks that may wait, filled or compressed, beyond the ones being deflated: this absorbs the jitter between
    /// workers (a block is written only after every block before it) without letting memory grow.
    /// </summary>
    /// <value>Default: <see langword="null"/>, meaning as many as <see cref="Workers"/>; at least 1.</value>
    public int? MaxQueuedBlocks { get; init; }

    /// <summary>
    /// Whether each block's deflate window is primed with the 32 KiB of archive before it (pigz's default). Off, the
    /// blocks are independent (pigz <c>-i</c>): still one valid gzip member, slightly larger.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool PrimeDictionary { get; init; } = true;

    /// <summary>The zlib level (0–9) of <see cref="Level"/>.</summary>
    internal int ZlibLevel => Level switch
    {
        CompressionLevel.NoCompression => 0,
        CompressionLevel.Fastest => 1,
        CompressionLevel.SmallestSize => 9,
        _ => 6,
    };

    internal int EffectiveQueuedBlocks => MaxQueuedBlocks ?? Workers;

    /// <summary>Checks every member and reports all the problems at once.</summary>
    /// <exception cref="Blueprint.OttKitValidationException">A member is out of range; the message names each one, its value and the fix.</exception>
    internal void Validate() => Rules.Instance.ThrowIfInvalid(this);

    /// <summary>The rules of <see cref="ArchiveCompressionOptions"/> (see <see cref="OptionsRules{TOptions}"/>).</summary>
    internal sealed class Rules : OptionsRules<ArchiveCompressionOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(ArchiveCompressionOptions options, OptionsProblems problems)
        {
            if (!Enum.IsDefined(options.Level))
            {
                problems.Add(nameof(Level), $"is {(int)options.Level}, not a CompressionLevel", "use Fastest (the default, zlib level 1), Optimal (6), SmallestSize (9) or NoCompression.");
            }

            if (options.Workers is < 1 or > MaxWorkers)
            {
                problems.Add(nameof(Workers), $"is {options.Workers}, outside 1..{MaxWorkers}", $"set 1 for one gzip stream, or leave it unset for one per processor ({DefaultWorkers} here).");
            }

            if (options.BlockSizeBytes is < MinBlockSizeBytes or > MaxBlockSizeBytes)
            {
                problems.Add(nameof(BlockSizeBytes), $"is {options.BlockSizeBytes}, outside {MinBlockSizeBytes}..{MaxBlockSizeBytes} (64 KiB to 64 MiB)", $"leave it unset for {DefaultBlockSizeBytes} (4 MiB).");
            }

            if (options.MaxQueuedBlocks is < 1)
            {
                problems.Add(nameof(MaxQueuedBlocks), $"is {options.MaxQueuedBlocks}, less than 1", "leave it null for as many as Workers.");
            }
        }
    }
}
