namespace Workmates.OttKit.Mongo.Backup.Archive;

/// <summary>
/// Memory bounds of a <see cref="MongoArchiveWriter"/>. The writer holds at most about
/// (open namespaces + <see cref="MaxQueuedSegments"/> + 1) × <see cref="SegmentSizeBytes"/> bytes of documents.
/// </summary>
public sealed record MongoArchiveWriterOptions
{
    /// <summary>Default segment size: 1 MiB (mongodump uses 16 MiB; smaller keeps parallel dumps within a flat, small memory).</summary>
    public const int DefaultSegmentSizeBytes = 1024 * 1024;

    /// <summary>
    /// Documents of one namespace are gathered into segments of about this size before they are queued for the
    /// stream; a document larger than this gets a segment of its own. Each segment costs about 70 bytes of framing.
    /// </summary>
    /// <value>Default: <see cref="DefaultSegmentSizeBytes"/>; at least 64 bytes.</value>
    public int SegmentSizeBytes { get; init; } = DefaultSegmentSizeBytes;

    /// <summary>Segments queued for the stream before producers wait: the back-pressure bound between dumpers and the stream.</summary>
    /// <value>Default: 8.</value>
    public int MaxQueuedSegments { get; init; } = 8;

    internal void Validate() => Rules.Instance.ThrowIfInvalid(this);

    /// <summary>The rules of <see cref="MongoArchiveWriterOptions"/> (see <see cref="OptionsRules{TOptions}"/>).</summary>
    internal sealed class Rules : OptionsRules<MongoArchiveWriterOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(MongoArchiveWriterOptions options, OptionsProblems problems)
        {
            if (options.SegmentSizeBytes < 64)
            {
                problems.Add(nameof(SegmentSizeBytes), $"is {options.SegmentSizeBytes}", "set it to at least 64 (the default is 1 MiB).");
            }

            if (options.MaxQueuedSegments < 1)
            {
                problems.Add(nameof(MaxQueuedSegments), $"is {options.MaxQueuedSegments}", "set it to at least 1 (the default is 8).");
            }
        }
    }
}

/// <summary>What one namespace contributed to an archive, as its EOF header records it.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Documents">Documents written.</param>
/// <param name="Bytes">BSON bytes of those documents (length prefixes included).</param>
/// <param name="Crc64">CRC-64/XZ of those bytes, as stored in the EOF header (its int64 form is <c>unchecked((long)Crc64)</c>).</param>
public sealed record MongoArchiveNamespaceSummary(MongoArchiveNamespace Namespace, long Documents, long Bytes, ulong Crc64);

/// <summary>What a completed <see cref="MongoArchiveWriter"/> wrote.</summary>
/// <param name="ArchiveBytes">Bytes of the archive before any compression.</param>
/// <param name="Namespaces">Every namespace in the order of its EOF block.</param>
public sealed record MongoArchiveWriteResult(long ArchiveBytes, IReadOnlyList<MongoArchiveNamespaceSummary> Namespaces)
{
    /// <summary>Documents over all namespaces.</summary>
    public long Documents => Namespaces.Sum(n => n.Documents);
}
