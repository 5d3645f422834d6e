using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>How <see cref="S3BackupObjectStore"/> talks to S3.</summary>
public sealed record S3BackupObjectStoreOptions
{
    /// <summary>
    /// Whether PutObject and UploadPart use the SDK's aws-chunked framing. S3 itself accepts it; s3rver and some other
    /// S3-compatible servers store the framing inside the object, so turn it off for them.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool UseChunkEncoding { get; init; } = true;

    /// <summary>
    /// Whether every part (and small object) carries its CRC-32C (<c>ChecksumAlgorithm = CRC32C</c>, computed once by
    /// the store and handed to the SDK, which then computes no checksum of its own) so S3 rejects bytes damaged in
    /// transit (<c>BadDigest</c>, retried). Servers without checksum support (s3rver) need <see langword="false"/>.
    /// The whole-object SHA-256 recorded in the manifest is computed either way.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool UsePartChecksums { get; init; } = true;

    /// <summary>
    /// Whether part and object bodies are SigV4-signed (a SHA-256 of every byte sent, by the SDK). When off and the
    /// client talks HTTPS, bodies go out as <c>UNSIGNED-PAYLOAD</c> without aws-chunked framing: TLS and the part's
    /// CRC-32C protect the bytes, and the SDK's extra pass over every byte is saved. Over plain HTTP (test servers)
    /// bodies are always signed, since SigV4 allows an unsigned payload only over TLS.
    /// </summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool SignPayload { get; init; }

    /// <summary>
    /// KMS key for SSE-KMS on small objects (manifests), and on uploads whose <see cref="BackupUploadOptions.KmsKeyId"/>
    /// is not set; <see langword="null"/> uses the bucket's default encryption.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? KmsKeyId { get; init; }

    /// <summary>How many times one request (a part, a put, a completion) is sent before its error is final.</summary>
    /// <value>Default: 6. These retries come on top of the S3 client's own.</value>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Back-off before the second attempt; it doubles on every further attempt, with jitter.</summary>
    /// <value>Default: 500 ms.</value>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one back-off.</summary>
    /// <value>Default: 30 s.</value>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and names each one to fix.</summary>
    /// <exception cref="OttKitValidationException">An option is out of range; the message names it and the fix.</exception>
    public void Validate() => Rules.Instance.ThrowIfInvalid(this);

    /// <summary>The rules of <see cref="S3BackupObjectStoreOptions"/> (see <see cref="OptionsRules{TOptions}"/>).</summary>
    internal sealed class Rules : OptionsRules<S3BackupObjectStoreOptions>
    {
        public static readonly Rules Instance = new();

        protected override void Check(S3BackupObjectStoreOptions options, OptionsProblems problems)
        {
            if (options.MaxAttempts < 1)
            {
                problems.Add(nameof(MaxAttempts), $"is {options.MaxAttempts}", "set it to at least 1.");
            }

            if (options.RetryBaseDelay < TimeSpan.Zero)
            {
                problems.Add(nameof(RetryBaseDelay), $"is {options.RetryBaseDelay}", "set it to zero or a positive duration.");
            }

            if (options.RetryMaxDelay < options.RetryBaseDelay)
            {
                problems.Add(nameof(RetryMaxDelay), $"({options.RetryMaxDelay}) is shorter than RetryBaseDelay ({options.RetryBaseDelay})", "raise RetryMaxDelay or lower RetryBaseDelay.");
            }
        }
    }
}
