namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// A MongoDB connection string or client setting is invalid. The message names the option and the fix; it never
/// contains a password.
/// </summary>
public sealed class MongoConfigurationException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public MongoConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public MongoConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one option.</summary>
    /// <param name="optionName">The connection-string option (or part, such as <c>hosts</c>) that is invalid.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public MongoConfigurationException(string? optionName, string message)
        : base(message)
    {
        OptionName = optionName;
    }

    /// <summary>The option or connection-string part at fault, when there is one.</summary>
    public string? OptionName { get; }
}
