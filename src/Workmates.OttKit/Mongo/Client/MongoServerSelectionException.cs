namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// No server can be selected for an operation, or the read preference cannot be honoured (for example an invalid
/// <c>maxStalenessSeconds</c>, or a server speaking an unsupported wire version).
/// </summary>
public sealed class MongoServerSelectionException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoServerSelectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why selection failed and what to change.</param>
    public MongoServerSelectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">Why selection failed and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public MongoServerSelectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
