using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// One loopback endpoint for one service in several regions: each request goes, unchanged, to the simulator of the
/// region its SigV4 credential scope names (one <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> serves a stack set that spans
/// regions, as AWS's regional endpoints do). A request for a region no simulator serves is answered 400
/// <c>IncompleteSignature</c>-style by the first simulator. Test infrastructure.
/// </summary>
public sealed class AwsRegionRouter : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect" };

    private readonly IReadOnlyDictionary<string, Uri> _regions;
    private readonly Uri _fallback;
    private readonly VirtualClock? _clock;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private WebApplication? _app;

    private AwsRegionRouter(IReadOnlyDictionary<string, Uri> regions, Uri fallback, VirtualClock? clock)
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
        var router = new AwsRegionRouter(simulators.ToDictionary(s => s.Region, s => s.BaseUrl, StringComparer.Ordinal), simulators[0].BaseUrl, simulators[0].Clock);
        var builder = WebApplication.CreateSlimBuilder(LoopbackHost.Options);
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        router._app = builder.Build();
        router._app.Run(router.HandleAsync);
        await router._app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = router._app.Urls.First();
        router.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return router;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var activity = _clock?.BeginActivity();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var authorization = context.Request.Headers.Authorization.ToString();
        var marker = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        var scope = marker < 0 ? [] : authorization[(marker + "Credential=".Length)..].Split(',')[0].Split('/');
        var target = scope.Length > 2 && _regions.TryGetValue(scope[2], out var regional) ? regional : _fallback;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, rawTarget.TrimStart('/')));
        var content = new ByteArrayContent(buffer.ToArray());
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopByHop.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values.Select(v => v ?? string.Empty)))
            {
                content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values.Select(v => v ?? string.Empty));
            }
        }

        // The simulators verify the signature over the Host header the client signed: keep it.
        request.Headers.Host = context.Request.Host.Value;
        request.Content = content;
        using var response = await _client.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
