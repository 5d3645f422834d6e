using System.Net;
using Amazon.S3;
using Workmates.OttKit.Mongo.Backup.Storage;
using Workmates.OttKit.Simulators.Aws;

namespace Workmates.OttKit.Tests.Mongo.Backup.Storage;

public sealed class TransientRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", true)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout", true)]
    [InlineData(HttpStatusCode.BadRequest, "BadDigest", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests", true)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false)]
    [InlineData(HttpStatusCode.NotImplemented, "NotImplemented", false)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchUpload", false)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidPart", false)]
    public void S3_errors_are_transient_only_when_a_retry_can_help(HttpStatusCode status, string code, bool transient)
    {
        var error = new AmazonS3Exception("x") { StatusCode = status, ErrorCode = code };

        Assert.Equal(transient, TransientRetry.IsTransient(error));
    }

    [Fact]
    public void Network_errors_and_timeouts_are_transient()
    {
        Assert.True(TransientRetry.IsTransient(new HttpRequestException("reset")));
        Assert.True(TransientRetry.IsTransient(new IOException("broken pipe")));
        Assert.True(TransientRetry.IsTransient(new TaskCanceledException("HttpClient.Timeout")));
        Assert.False(TransientRetry.IsTransient(new InvalidOperationException()));
    }

    [Theory]
    [InlineData(2, 0.0, 50)]
    [InlineData(2, 1.0, 100)]
    [InlineData(3, 1.0, 200)]
    [InlineData(5, 1.0, 800)]
    [InlineData(12, 1.0, 1000)]
    [InlineData(12, 0.0, 500)]
    public void Back_off_doubles_from_the_base_with_jitter_in_the_upper_half_and_is_capped(int attempt, double jitter, int expectedMs)
    {
        var retry = new TransientRetry(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeProvider.System, () => jitter);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), retry.DelayBefore(attempt));
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task The_next_attempt_waits_for_the_back_off_on_the_injected_clock()
    {
        var clock = new VirtualClock();
        var retry = new TransientRetry(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), clock, () => 1.0);
        var calls = 0;

        var running = retry.ExecuteAsync(
            _ => ++calls == 1 ? throw new HttpRequestException("reset") : Task.FromResult(calls),
            "UploadPart",
            "k",
            1,
            null,
            TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        var callsBeforeDue = calls;
        clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(2, await running);
        Assert.Equal(1, callsBeforeDue);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Gives_up_after_max_attempts_with_the_attempt_count()
    {
        var retry = new TransientRetry(3, TimeSpan.Zero, TimeSpan.Zero, TimeProvider.System);
        var calls = 0;

        var error = await Assert.ThrowsAsync<BackupStorageException>(() => retry.ExecuteAsync<int>(
            _ => { calls++; throw new AmazonS3Exception("boom") { StatusCode = HttpStatusCode.InternalServerError }; },
            "UploadPart",
            "k",
            7,
            null,
            TestContext.Current.CancellationToken));

        Assert.Equal(3, calls);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(7, error.PartNumber);
    }

    [Fact(Timeout = TestTimeouts.Default)]
    public async Task Caller_cancellation_is_not_retried_nor_wrapped()
    {
        var retry = new TransientRetry(5, TimeSpan.Zero, TimeSpan.Zero, TimeProvider.System);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retry.ExecuteAsync<int>(
            ct => { calls++; ct.ThrowIfCancellationRequested(); return Task.FromResult(1); },
            "GetObject",
            "k",
            null,
            null,
            cancelled.Token));

        Assert.Equal(1, calls);
    }
}
