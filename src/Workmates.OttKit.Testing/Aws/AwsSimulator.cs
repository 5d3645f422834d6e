using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>Settings shared by the AWS simulators.</summary>
public sealed record AwsSimulatorOptions
{
    /// <summary>The virtual clock; a new <see cref="VirtualClock"/> when not given.</summary>
    public VirtualClock? Clock { get; init; }

    /// <summary>Access keys accepted; <see cref="SimulatorCredentials.Default"/> when empty.</summary>
    public IReadOnlyList<SimulatorCredentials> Credentials { get; init; } = [SimulatorCredentials.Default];

    /// <summary>The region the simulator serves (must match the signature's credential scope).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account id used in ARNs.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>The fault injector; a new, empty one (seed 12345) when not given.</summary>
    public FaultInjector? Faults { get; init; }

    /// <summary>
    /// IAM enforcement: every call is authorized as the principal whose access key signed it, and a denied call is
    /// answered as AWS answers it. <see langword="null"/> (the default) enforces nothing.
    /// </summary>
    public Iam.IamAuthority? Iam { get; init; }
}

/// <summary>An AWS error as a simulator returns it.</summary>
/// <param name="code">Wire error code.</param>
/// <param name="message">Message.</param>
/// <param name="statusCode">HTTP status.</param>
/// <param name="senderFault">Sender (client) or Receiver (server) fault.</param>
public sealed class AwsSimulatorException(string code, string message, int statusCode = 400, bool senderFault = true)
    : Exception(message)
{
    /// <summary>Wire error code.</summary>
    public string Code { get; } = code;

    /// <summary>HTTP status.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>True for a Sender fault.</summary>
    public bool SenderFault { get; } = senderFault;
}

/// <summary>A response a simulator writes.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="ContentType">Content type.</param>
/// <param name="Body">Body text.</param>
/// <param name="ErrorCode">The error code when this is an error.</param>
/// <param name="Headers">Extra headers.</param>
internal sealed record SimulatorResponse(int StatusCode, string ContentType, string Body, string? ErrorCode = null, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Base of the loopback AWS simulators: a Kestrel server on 127.0.0.1 (ephemeral port) that reads the operation,
/// logs it, verifies the SigV4 signature, applies injected faults and dispatches to the service model.
/// </summary>
public abstract class AwsSimulator : IAsyncDisposable
{
    private readonly string _signingName;
    private LoopbackHost? _host;

    /// <summary>Creates the simulator (not started).</summary>
    private protected AwsSimulator(AwsSimulatorOptions options, string signingName)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Clock = options.Clock ?? new VirtualClock();
        Faults = options.Faults ?? new FaultInjector();
        _signingName = signingName;
    }

    /// <summary>The settings.</summary>
    public AwsSimulatorOptions Options { get; }

    /// <summary>The virtual clock all state is computed from.</summary>
    public VirtualClock Clock { get; }

    /// <summary>Fault injection rules.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every request received.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>The base URL (http://127.0.0.1:port/) once started.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The region served.</summary>
    public string Region => Options.Region;

    /// <summary>The signing name (credential scope service) this simulator verifies.</summary>
    public string SigningName => _signingName;

    /// <summary>Starts listening on a free loopback port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _host = await LoopbackHost.StartAsync(HandleAsync, unlimitedRequestBodies: false, cancellationToken).ConfigureAwait(false);
        BaseUrl = _host.Endpoint;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }

        ReleaseResources();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a simulator holds beyond the web host.</summary>
    private protected virtual void ReleaseResources()
    {
    }

    /// <summary>Reads the wire operation name of a request (null when absent).</summary>
    private protected abstract string? ReadOperation(HttpRequest request, byte[] body);

    /// <summary>Handles an authenticated, fault-free request.</summary>
    private protected abstract Task<SimulatorResponse> DispatchAsync(string operation, HttpRequest request, byte[] body);

    /// <summary>Formats an error in the protocol's shape.</summary>
    private protected abstract SimulatorResponse Error(string code, string message, int statusCode, bool senderFault);

    /// <summary>Maps a signature failure to the protocol's code and status.</summary>
    private protected abstract (string Code, int Status) SignatureError(SignatureFailureKind kind);

    /// <summary>The IAM service prefix of the actions (the signing name unless the service says otherwise).</summary>
    private protected virtual string IamPrefix => _signingName;

    /// <summary>How the protocol answers a denied call: query services <c>AccessDenied</c> with 403, JSON services <c>AccessDeniedException</c> with 400.</summary>
    private protected virtual (string Code, int Status) AccessDeniedError => ("AccessDenied", 403);

    /// <summary>What a call is authorized as: one request per resource it touches; by default the action on <c>*</c>.</summary>
    private protected virtual IEnumerable<Iam.IamRequest> AuthorizationRequests(string operation, HttpRequest request, byte[] body) =>
        [new($"{IamPrefix}:{operation}", "*")];

    /// <summary>An ARN in this simulator's region and account.</summary>
    private protected string Arn(string service, string resource) => $"arn:aws:{service}:{Region}:{Options.AccountId}:{resource}";

    /// <summary>The protocol's throttling code.</summary>
    private protected abstract string ThrottlingCode { get; }

    /// <summary>The protocol's internal-error code.</summary>
    private protected abstract string InternalErrorCode { get; }

    /// <summary>A new request id.</summary>
    private protected static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>Serves one request (also called in process by <see cref="AwsRegionRouter"/> for the requests it routes here).</summary>
    internal async Task HandleAsync(HttpContext context)
    {
        // A request being served is activity: the virtual clock does not move under it (see VirtualClock.RunAsync).
        using var activity = Clock.BeginActivity();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var sequence = Requests.NextSequence();
        var arrival = Clock.GetUtcNow();
        var operation = ReadOperation(context.Request, body) ?? "?";
        var headers = context.Request.Headers.ToDictionary(
            h => h.Key, h => (IReadOnlyList<string>)h.Value.Select(v => v ?? string.Empty).ToList(), StringComparer.OrdinalIgnoreCase);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
        var queryIndex = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var signable = new SignableRequest(
            context.Request.Method,
            queryIndex < 0 ? rawTarget : rawTarget[..queryIndex],
            queryIndex < 0 ? string.Empty : rawTarget[(queryIndex + 1)..],
            headers,
            body);
        var accessKey = AccessKeyOf(headers);

        SimulatorResponse response;
        FaultRule? fault = null;
        var failure = SigV4.Verify(signable, Options.Credentials.Count == 0 ? [SimulatorCredentials.Default] : Options.Credentials, Region, _signingName);
        if (failure is not null)
        {
            var (code, status) = SignatureError(failure.Kind);
            response = Error(code, failure.Message, status, senderFault: true);
        }
        else if (Denied(accessKey, operation, context.Request, body) is { } denied)
        {
            var (code, status) = AccessDeniedError;
            response = Error(code, Iam.IamAuthority.DeniedMessage(denied), status, senderFault: true);
        }
        else
        {
            fault = Faults.Next(operation);
            switch (fault?.Kind)
            {
                case FaultKind.DropConnection:
                    Requests.Add(new(sequence, operation, arrival, 0, null, FaultKind.DropConnection, accessKey));
                    context.Abort();
                    return;
                case FaultKind.Throttle:
                    response = Error(ThrottlingCode, "Rate exceeded", 400, senderFault: true);
                    break;
                case FaultKind.InternalError:
                    response = Error(InternalErrorCode, "We encountered an internal error. Please try again.", 500, senderFault: false);
                    break;
                case FaultKind.ServiceUnavailable:
                    response = Error("ServiceUnavailable", "Service is unavailable. Please try again later.", 503, senderFault: false);
                    break;
                default:
                    if (fault?.Kind == FaultKind.Slow)
                    {
                        if (fault.VirtualDelay)
                        {
                            Clock.Advance(fault.Delay);
                        }
                        else
                        {
                            await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                        }
                    }

                    response = await InvokeAsync(operation, context.Request, body).ConfigureAwait(false);
                    break;
            }
        }

        Requests.Add(new(sequence, operation, arrival, response.StatusCode, response.ErrorCode, fault?.Kind, accessKey));
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        if (response.Headers is not null)
        {
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }
        }

        await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private Iam.IamCall? Denied(string? accessKey, string operation, HttpRequest request, byte[] body)
    {
        if (Options.Iam is not { } iam)
        {
            return null;
        }

        IEnumerable<Iam.IamRequest> requests;
        try
        {
            requests = AuthorizationRequests(operation, request, body).ToList();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            // A malformed request is the operation's to reject; authorize the action on '*'.
            requests = [new($"{IamPrefix}:{operation}", "*")];
        }

        foreach (var one in requests)
        {
            var call = iam.Authorize(accessKey, one);
            if (call.Decision != Iam.IamDecision.Allowed)
            {
                return call;
            }
        }

        return null;
    }

    private async Task<SimulatorResponse> InvokeAsync(string operation, HttpRequest request, byte[] body)
    {
        try
        {
            return await DispatchAsync(operation, request, body).ConfigureAwait(false);
        }
        catch (AwsSimulatorException e)
        {
            return Error(e.Code, e.Message, e.StatusCode, e.SenderFault);
        }
    }

    private static string? AccessKeyOf(Dictionary<string, IReadOnlyList<string>> headers)
    {
        if (!headers.TryGetValue("Authorization", out var values) || values.Count == 0)
        {
            return null;
        }

        var marker = values[0].IndexOf("Credential=", StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var rest = values[0][(marker + "Credential=".Length)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : rest[..slash];
    }
}
