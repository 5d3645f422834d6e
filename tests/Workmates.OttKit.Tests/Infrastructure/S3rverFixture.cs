using Workmates.OttKit.Tests.Aws;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Workmates.OttKit.Aws;

namespace Workmates.OttKit.Tests.Infrastructure;

/// <summary>
/// One s3rver (S3-protocol server on Node, installed by <c>cd tests/tools &amp;&amp; npm ci</c>) per test class, on a
/// free loopback port with a temporary directory, killed on dispose. Tests call <see cref="Require"/> first: a missing
/// Node or s3rver fails under <c>CI=true</c> and skips elsewhere. s3rver lacks AbortMultipartUpload, checksums, SSE and
/// lifecycle rules: put a <see cref="S3FaultInjector"/> in front of it to test those paths.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    private Process? _process;
    private string? _directory;
    private int _buckets;

    /// <summary>The endpoint, for example <c>http://127.0.0.1:41234/</c>; null until started.</summary>
    public Uri? Endpoint { get; private set; }

    /// <summary>Why s3rver could not start, when it could not.</summary>
    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(RepositoryPaths.NodeTools, "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            UnavailableReason = $"s3rver not installed at {script}: run `cd tests/tools && npm ci`.";
            return;
        }

        _directory = Directory.CreateTempSubdirectory("ottkit-s3rver-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        foreach (var argument in new[] { script, "-d", _directory, "-a", "127.0.0.1", "-p", "0", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            UnavailableReason = $"node could not start: {error.Message}";
            return;
        }

        if (_process is null)
        {
            UnavailableReason = "node did not start";
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    Endpoint = new Uri($"http://{match.Groups[1].Value}/");
                    _ = DrainAsync(_process.StandardOutput);
                    _ = DrainAsync(_process.StandardError);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        UnavailableReason = "s3rver did not report its port within 30 s";
    }

    /// <summary>Fails (CI) or skips (elsewhere) the calling test when s3rver is not running.</summary>
    public Uri Require()
    {
        if (Endpoint is not null)
        {
            return Endpoint;
        }

        var message = UnavailableReason ?? "s3rver not started";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return null!;
    }

    /// <summary>
    /// An S3 client for s3rver: path-style, its fixed credentials, the SDK's own retries off (so the code under test
    /// owns retrying) and checksums only where required. <paramref name="faults"/> sits in front when given.
    /// With <paramref name="asHttps"/> the client is given an https:// endpoint (so it behaves as towards S3 over TLS)
    /// and <paramref name="faults"/>, which is then required, sends its requests to s3rver over plain HTTP; the SDK's
    /// default checksum behaviour (<c>WHEN_SUPPORTED</c>) is kept so the test sees what the SDK adds by itself.
    /// </summary>
    public IAmazonS3 CreateClient(S3FaultInjector? faults = null, bool asHttps = false)
    {
        var endpoint = Require();
        if (asHttps)
        {
            ArgumentNullException.ThrowIfNull(faults);
            faults.DowngradeHttps = true;
            endpoint = new UriBuilder(endpoint) { Scheme = Uri.UriSchemeHttps, Port = endpoint.Port }.Uri;
        }

        var options = new TestAwsOptions
        {
            ServiceURL = endpoint.ToString(),
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("S3RVER", "S3RVER"),
        };
        return new AwsClientFactory(options, config =>
        {
            config.MaxErrorRetry = 0;
            if (!asHttps)
            {
                config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
                config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
            }

            config.Timeout = TimeSpan.FromSeconds(60);
            if (faults is not null)
            {
                config.HttpClientFactory = faults.ClientFactory;
            }
        }).CreateS3();
    }

    /// <summary>Creates a new empty bucket and returns its name.</summary>
    public async Task<string> CreateBucketAsync(CancellationToken cancellationToken)
    {
        var name = $"bucket-{Interlocked.Increment(ref _buckets)}-{Guid.NewGuid():N}"[..30];
        using var client = CreateClient();
        await client.PutBucketAsync(name, cancellationToken);
        return name;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            _process.Dispose();
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is not null)
            {
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [GeneratedRegex(@"listening on ([0-9.]+:[0-9]+)")]
    private static partial Regex Listening();
}
