using Amazon.Runtime;

namespace Workmates.OttKit.Aws;

/// <summary>Why a waiter stopped without reaching its success state.</summary>
public enum AwsWaiterFailureReason
{
    /// <summary>An acceptor with state <c>failure</c> matched (for example a stack in <c>UPDATE_ROLLBACK_COMPLETE</c>).</summary>
    FailureStateMatched,

    /// <summary>The service answered an error that no acceptor expects.</summary>
    UnexpectedError,

    /// <summary><c>maxAttempts</c> calls were made without a terminal match.</summary>
    MaxAttemptsExceeded,
}

/// <summary>A waiter (waiters-2.json semantics) ended in failure; carries the waiter, the reason and the attempts.</summary>
public sealed class AwsWaiterException : OttKitAwsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="waiterName">The model's waiter name, e.g. <c>StackUpdateComplete</c>.</param>
    /// <param name="reason">Why the wait stopped.</param>
    /// <param name="attempts">How many calls were made.</param>
    /// <param name="matchedAcceptor">The acceptor that matched (for <see cref="AwsWaiterFailureReason.FailureStateMatched"/>).</param>
    /// <param name="serviceError">The service error of the last call, if any.</param>
    public AwsWaiterException(
        string waiterName, AwsWaiterFailureReason reason, int attempts, string? matchedAcceptor, AmazonServiceException? serviceError)
        : base(Describe(waiterName, reason, attempts, matchedAcceptor, serviceError), serviceError)
    {
        WaiterName = waiterName;
        Reason = reason;
        Attempts = attempts;
        MatchedAcceptor = matchedAcceptor;
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public AwsWaiterException(string message)
        : base(message)
    {
        WaiterName = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AwsWaiterException(string message, Exception innerException)
        : base(message, innerException)
    {
        WaiterName = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public AwsWaiterException()
    {
        WaiterName = string.Empty;
    }

    /// <summary>The model's waiter name.</summary>
    public string WaiterName { get; }

    /// <summary>Why the wait stopped.</summary>
    public AwsWaiterFailureReason Reason { get; }

    /// <summary>How many calls were made.</summary>
    public int Attempts { get; }

    /// <summary>The matching failure acceptor, as <c>matcher argument == expected</c>.</summary>
    public string? MatchedAcceptor { get; }

    private static string Describe(
        string waiterName, AwsWaiterFailureReason reason, int attempts, string? acceptor, AmazonServiceException? error) => reason switch
    {
        AwsWaiterFailureReason.FailureStateMatched => $"Waiter {waiterName} failed after {attempts} attempt(s): {acceptor}.",
        AwsWaiterFailureReason.UnexpectedError =>
            $"Waiter {waiterName} stopped after {attempts} attempt(s) on an unexpected error {error?.ErrorCode}: {error?.Message}",
        _ => $"Waiter {waiterName} gave up: max attempts exceeded ({attempts}).",
    };
}
