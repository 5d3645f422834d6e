using System.Net;
using Amazon.Runtime;

namespace Workmates.OttKit.Aws.Runtime;

internal enum WaiterState
{
    Success,
    Failure,
    Retry,
}

internal enum WaiterMatcher
{
    Path,
    PathAll,
    PathAny,
    Status,
    Error,
}

/// <summary>
/// One acceptor of waiters-2.json. <see cref="Argument"/> keeps the model's JMESPath text; the hand-coded
/// <c>select</c>/<c>evaluate</c> delegate implements it (tests check the definitions against the model).
/// </summary>
internal sealed record WaiterAcceptor<TResponse>(
    WaiterState State,
    WaiterMatcher Matcher,
    string? Argument,
    object Expected,
    Func<TResponse, IEnumerable<string?>?>? Select = null,
    Func<TResponse, object?>? Evaluate = null)
    where TResponse : AmazonWebServiceResponse
{
    public static WaiterAcceptor<TResponse> PathAll(
        WaiterState state, string argument, string expected, Func<TResponse, IEnumerable<string?>?> select) =>
        new(state, WaiterMatcher.PathAll, argument, expected, select);

    public static WaiterAcceptor<TResponse> PathAny(
        WaiterState state, string argument, string expected, Func<TResponse, IEnumerable<string?>?> select) =>
        new(state, WaiterMatcher.PathAny, argument, expected, select);

    public static WaiterAcceptor<TResponse> Path(WaiterState state, string argument, object expected, Func<TResponse, object?> evaluate) =>
        new(state, WaiterMatcher.Path, argument, expected, Evaluate: evaluate);

    public static WaiterAcceptor<TResponse> Error(WaiterState state, string code) => new(state, WaiterMatcher.Error, null, code);

    public static WaiterAcceptor<TResponse> Status(WaiterState state, int status) => new(state, WaiterMatcher.Status, null, status);

    public bool Matches(TResponse? response, AmazonServiceException? error)
    {
        switch (Matcher)
        {
            case WaiterMatcher.Error:
                return error is not null && string.Equals(error.ErrorCode, (string)Expected, StringComparison.Ordinal);
            case WaiterMatcher.Status:
                var status = error is not null ? error.StatusCode
                    : response!.HttpStatusCode == 0 ? HttpStatusCode.OK : response.HttpStatusCode;
                return (int)status == (int)Expected;
            case WaiterMatcher.Path when response is not null:
                return Equals(Evaluate!(response), Expected);
            case WaiterMatcher.PathAll when response is not null:
                var all = Select!(response)?.ToList();
                return all is { Count: > 0 } && all.TrueForAll(v => string.Equals(v, (string)Expected, StringComparison.Ordinal));
            case WaiterMatcher.PathAny when response is not null:
                return Select!(response)?.Any(v => string.Equals(v, (string)Expected, StringComparison.Ordinal)) == true;
            default:
                return false;
        }
    }

    public override string ToString() =>
        $"{State.ToString().ToLowerInvariant()} when {Matcher} {(Argument is null ? string.Empty : Argument + " ")}== {Expected}";
}

/// <summary>One waiter of waiters-2.json: the operation, the delay between calls, the attempt limit, the acceptors.</summary>
internal sealed record WaiterDefinition<TResponse>(
    string Name,
    string Operation,
    int DelaySeconds,
    int MaxAttempts,
    IReadOnlyList<WaiterAcceptor<TResponse>> Acceptors)
    where TResponse : AmazonWebServiceResponse
{
    /// <summary>
    /// botocore's loop: call at once; check the acceptors in order, the first match decides; no match → poll again,
    /// except that an unmatched error ends the wait; sleep <see cref="DelaySeconds"/> (no back-off) between calls.
    /// </summary>
    public async Task<TResponse?> WaitAsync(
        Func<CancellationToken, Task<TResponse>> call, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        var time = timeProvider ?? TimeProvider.System;
        for (var attempt = 1; ; attempt++)
        {
            TResponse? response = null;
            AmazonServiceException? error = null;
            try
            {
                response = await call(cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                error = e;
            }

            var matched = Acceptors.FirstOrDefault(a => a.Matches(response, error));
            switch (matched?.State)
            {
                case WaiterState.Success:
                    return response;
                case WaiterState.Failure:
                    throw new AwsWaiterException(Name, AwsWaiterFailureReason.FailureStateMatched, attempt, matched.ToString(), error);
                case null when error is not null:
                    throw new AwsWaiterException(Name, AwsWaiterFailureReason.UnexpectedError, attempt, null, error);
                default:
                    break;
            }

            if (attempt >= MaxAttempts)
            {
                throw new AwsWaiterException(Name, AwsWaiterFailureReason.MaxAttemptsExceeded, attempt, null, error);
            }

            await Task.Delay(TimeSpan.FromSeconds(DelaySeconds), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
