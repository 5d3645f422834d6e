using System.Net;
using Amazon.Runtime;
using Workmates.OttKit.Aws;

namespace Workmates.OttKit.Mongo.Backup.Storage;

/// <summary>
/// Sends one storage request up to <c>maxAttempts</c> times. Only transient errors are retried (5xx, throttling,
/// timeouts, dropped connections, a checksum rejected in transit); an error a retry cannot fix (403 AccessDenied,
/// 404 NoSuchUpload…) is final at once. Back-off: "equal jitter", a random delay in [d/2, d] where
/// d = min(maxDelay, baseDelay × 2^(attempt−1)), so parallel parts do not retry in lock step.
/// </summary>
internal sealed class TransientRetry(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider time, Func<double>? jitter = null)
{
    private static readonly HashSet<string> s_transientCodes = new(StringComparer.Ordinal)
    {
        "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException", "BadDigest",
        "XAmzContentSHA256Mismatch", "OperationAborted",
    };

    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;

    public int MaxAttempts => maxAttempts;

    public async Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> send,
        string operation,
        string key,
        int? partNumber,
        Action<int, Exception>? onRetry,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await send(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is not BackupStorageException)
            {
                if (!IsTransient(error) || attempt >= maxAttempts)
                {
                    throw new BackupStorageException(operation, key, partNumber, attempt, error);
                }

                onRetry?.Invoke(attempt, error);
                await Task.Delay(DelayBefore(attempt + 1), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Back-off before attempt <paramref name="attempt"/> (2 or more).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var exponent = Math.Min(attempt - 2, 30);
        var ceiling = Math.Min(maxDelay.Ticks, baseDelay.Ticks * (double)(1L << exponent));
        return TimeSpan.FromTicks((long)((ceiling / 2) + (_jitter() * ceiling / 2)));
    }

    public static bool IsTransient(Exception error) => error switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.NotImplemented } => false,
        AmazonServiceException service when service.StatusCode >= HttpStatusCode.InternalServerError => true,
        AmazonServiceException service when service.StatusCode == HttpStatusCode.TooManyRequests => true,
        AmazonServiceException service when AwsErrorCodes.IsThrottling(service.ErrorCode) => true,
        AmazonServiceException service when service.ErrorCode is { } code && s_transientCodes.Contains(code) => true,
        AmazonServiceException { StatusCode: 0 } service => service.InnerException is { } inner && IsTransient(inner),
        AmazonServiceException => false,
        HttpRequestException or IOException or TimeoutException or OperationCanceledException => true,
        AmazonClientException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };
}
