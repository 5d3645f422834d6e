namespace Workmates.OttKit.Mongo.Wire.Discovery;

/// <summary>When, relative to the connection handshake, an operation failed.</summary>
internal enum ErrorPhase
{
    BeforeHandshakeCompletes,
    AfterHandshakeCompletes,
}

/// <summary>What kind of failure an operation saw.</summary>
internal enum ApplicationErrorKind
{
    /// <summary>The connection broke (reset, closed, refused).</summary>
    Network,

    /// <summary>A socket read or write timed out.</summary>
    Timeout,

    /// <summary>The server answered with an error document.</summary>
    Command,
}

/// <summary>The parts of a server error reply that SDAM inspects.</summary>
/// <param name="Ok">The reply's <c>ok</c>.</param>
/// <param name="Code">Top-level <c>code</c>.</param>
/// <param name="ErrorMessage">Top-level <c>errmsg</c>.</param>
/// <param name="TopologyVersion">The reply's <c>topologyVersion</c>.</param>
/// <param name="WriteConcernErrorCode">The <c>writeConcernError.code</c>, if any.</param>
internal sealed record CommandErrorReply(bool Ok, int? Code, string? ErrorMessage, TopologyVersion? TopologyVersion, int? WriteConcernErrorCode = null);

/// <summary>An error an application operation saw on a connection to <paramref name="Address"/>.</summary>
/// <param name="Address">The server.</param>
/// <param name="Phase">Before or after the handshake completed.</param>
/// <param name="Kind">Network, timeout or command error.</param>
/// <param name="MaxWireVersion">The connection's negotiated max wire version.</param>
/// <param name="Generation">The pool generation the connection was created in; <see langword="null"/> means current.</param>
/// <param name="Reply">For command errors, the reply.</param>
internal sealed record ApplicationError(
    string Address, ErrorPhase Phase, ApplicationErrorKind Kind, int MaxWireVersion, int? Generation = null, CommandErrorReply? Reply = null);

/// <summary>Classification of server error codes (SDAM "not writable primary" and "node is recovering").</summary>
internal static class StateChangeErrors
{
    private static readonly HashSet<int> s_notWritablePrimary = [10107, 13435, 10058];
    private static readonly HashSet<int> s_nodeIsRecovering = [11600, 11602, 13436, 189, 91];
    private static readonly HashSet<int> s_shutdown = [11600, 91];

    /// <summary>Whether the reply says the server changed state (stepped down, recovering, shutting down).</summary>
    public static bool IsStateChange(int? code, string? message)
    {
        if (code is { } c)
        {
            return s_notWritablePrimary.Contains(c) || s_nodeIsRecovering.Contains(c);
        }

        // Servers before 3.6 sent only a message; an error code, when present, always wins.
        return message is not null
            && (message.Contains("not master", StringComparison.Ordinal) || message.Contains("node is recovering", StringComparison.Ordinal));
    }

    public static bool IsShutdown(int? code) => code is { } c && s_shutdown.Contains(c);
}
