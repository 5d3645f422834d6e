using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// The loopback web host every simulator, front and router serves on: Kestrel on 127.0.0.1 at a free port, no logging,
/// one request delegate, and no configuration reload (by default a host watches its content root — the current
/// directory, e.g. a whole repository — with a recursive file watcher, for an appsettings.json a simulator never reads).
/// </summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The host's base address, ending in <c>/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts a host that answers every request with <paramref name="handler"/>.</summary>
    /// <param name="handler">The request delegate.</param>
    /// <param name="unlimitedRequestBodies">Lifts Kestrel's 30 MB request-body limit (a front that relays uploads).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host.</returns>
    public static async Task<LoopbackHost> StartAsync(RequestDelegate handler, bool unlimitedRequestBodies, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            if (unlimitedRequestBodies)
            {
                k.Limits.MaxRequestBodySize = null;
            }
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.First();
        return new LoopbackHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
