namespace Workmates.OttKit.Mongo.Client;

/// <summary>Authentication with a MongoDB server failed or could not be attempted. Never carries a password.</summary>
public sealed class MongoAuthenticationException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public MongoAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public MongoAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one mechanism and user.</summary>
    /// <param name="mechanism">The SASL mechanism, e.g. <c>SCRAM-SHA-256</c>.</param>
    /// <param name="username">The user name (not secret).</param>
    /// <param name="message">What failed.</param>
    public MongoAuthenticationException(string? mechanism, string? username, string message)
        : base(message)
    {
        Mechanism = mechanism;
        Username = username;
    }

    /// <summary>The mechanism in use when it failed.</summary>
    public string? Mechanism { get; }

    /// <summary>The user that failed to authenticate.</summary>
    public string? Username { get; }
}
