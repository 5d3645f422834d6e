using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Workmates.OttKit.Tests.Simulators;

/// <summary>Serves one object over plain HTTP GET, the way an S3 endpoint (s3rver) serves a template behind TemplateURL.</summary>
internal sealed class StaticObjectServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticObjectServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<StaticObjectServer> StartAsync(string path, string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path == path)
            {
                await context.Response.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("<Error><Code>NoSuchKey</Code></Error>");
            }
        });
        await app.StartAsync();
        return new StaticObjectServer(app, new Uri(new Uri(app.Urls.First()), path));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
