using Microsoft.AspNetCore.Http;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// One loopback endpoint for one service in several regions: each request goes, unchanged, to the simulator of the
/// region its SigV4 credential scope names (one <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> serves a stack set that spans
/// regions, as AWS's regional endpoints do). A request for a region no simulator serves is answered 400
/// <c>IncompleteSignature</c>-style by the first simulator. The chosen simulator serves the request in process, on the
/// router's own connection (no second HTTP hop): it sees the same method, target, headers (the signed Host included)
/// and body. Test infrastructure.
/// </summary>
public sealed class AwsRegionRouter : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, AwsSimulator> _regions;
    private readonly AwsSimulator _fallback;
    private readonly VirtualClock? _clock;
    private LoopbackHost? _host;

    private AwsRegionRouter(IReadOnlyDictionary<string, AwsSimulator> regions, AwsSimulator fallback, VirtualClock? clock)
    {
        _clock = clock;
        _regions = regions;
        _fallback = fallback;
    }

    /// <summary>The endpoint to configure.</summary>
    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts a router over simulators keyed by region.</summary>
    /// <param name="simulators">The simulators (one per region; the first answers unknown regions).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running router.</returns>
    public static async Task<AwsRegionRouter> StartAsync(IReadOnlyList<AwsSimulator> simulators, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulators);
        var router = new AwsRegionRouter(simulators.ToDictionary(s => s.Region, s => s, StringComparer.Ordinal), simulators[0], simulators[0].Clock);
        router._host = await LoopbackHost.StartAsync(router.HandleAsync, unlimitedRequestBodies: false, cancellationToken).ConfigureAwait(false);
        router.Endpoint = router._host.Endpoint;
        return router;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var activity = _clock?.BeginActivity();
        var authorization = context.Request.Headers.Authorization.ToString();
        var marker = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        var scope = marker < 0 ? [] : authorization[(marker + "Credential=".Length)..].Split(',')[0].Split('/');
        var target = scope.Length > 2 && _regions.TryGetValue(scope[2], out var regional) ? regional : _fallback;
        await target.HandleAsync(context).ConfigureAwait(false);
    }
}
