namespace Workmates.OttKit.Aws;

/// <summary>Error codes every AWS service may answer with, beyond the modelled ones.</summary>
public static class AwsErrorCodes
{
    // The SDK's and botocore's throttling codes. LimitExceededException is left out on purpose: ECS and
    // CloudFormation use it for account quotas, which a retry does not fix.
    private static readonly HashSet<string> s_throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    /// <summary>The generic validation code of query services (CloudFormation "stack does not exist", "no updates").</summary>
    public const string ValidationError = "ValidationError";

    /// <summary>Whether <paramref name="errorCode"/> is one of the service-independent throttling codes.</summary>
    /// <param name="errorCode">The wire error code.</param>
    /// <returns><see langword="true"/> for a throttling code.</returns>
    public static bool IsThrottling(string? errorCode) => errorCode is not null && s_throttling.Contains(errorCode);
}
