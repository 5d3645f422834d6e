using System.Diagnostics;
using System.Text.RegularExpressions;
using Workmates.OttKit.Tests.Infrastructure;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>
/// s3rver (an S3-protocol server on Node, from tests/tools) on a free loopback port, with one bucket. Missing Node
/// tools fail the test under CI=true and skip it elsewhere.
/// </summary>
internal sealed partial class S3rverProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private S3rverProcess(Process process, string directory, Uri endpoint)
    {
        _process = process;
        _directory = directory;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<S3rverProcess> StartAsync(string? bucket)
    {
        var script = Path.Combine(RepositoryPaths.NodeTools, "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            var message = $"s3rver not installed at {script}: run `cd tests/tools && npm ci`.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var directory = Directory.CreateTempSubdirectory("ottkit-s3rver-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in bucket is null ? new[] { script, "-d", directory, "-a", "127.0.0.1", "-p", "0" } : [script, "-d", directory, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", bucket])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                return new S3rverProcess(process, directory, new Uri($"http://{match.Groups[1].Value}/"));
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("s3rver did not report its port: " + await process.StandardError.ReadToEndAsync());
    }

    /// <summary>Creates a bucket (CreateBucket, unsigned: s3rver checks no signature), synchronously: CloudFormation simulator callbacks run under its lock.</summary>
    public void CreateBucket(string name)
    {
        using var client = new HttpClient();
        using var response = client.Send(new HttpRequestMessage(HttpMethod.Put, new Uri(Endpoint, name)));
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"listening on ([0-9.]+:[0-9]+)")]
    private static partial Regex Listening();
}
