using Microsoft.AspNetCore.Builder;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>Settings shared by the simulators' loopback web hosts.</summary>
internal static class LoopbackHost
{
    /// <summary>
    /// A slim builder's options without configuration reload: by default the host watches its content root (the current
    /// directory, e.g. a whole repository) with a recursive file watcher per simulator, for an appsettings.json that a
    /// simulator never reads.
    /// </summary>
    public static WebApplicationOptions Options => new() { Args = ["--hostBuilder:reloadConfigOnChange=false"] };
}
