namespace Workmates.OttKit.Mongo.Health;

/// <summary>
/// The server refused a monitoring command because the user lacks a privilege (MongoDB error 13, <c>Unauthorized</c>).
/// The health check turns it into a result that names the role to grant instead of failing with a stack trace.
/// </summary>
public sealed class MongoNotAuthorizedException : OttKitMongoException
{
    /// <summary>The built-in role that grants every command the health check runs.</summary>
    public const string RequiredRole = "clusterMonitor";

    /// <summary>Initializes a new instance of the <see cref="MongoNotAuthorizedException"/> class.</summary>
    public MongoNotAuthorizedException()
        : this(userName: null, commandName: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MongoNotAuthorizedException"/> class.</summary>
    /// <param name="message">The server's message.</param>
    public MongoNotAuthorizedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MongoNotAuthorizedException"/> class.</summary>
    /// <param name="message">The server's message.</param>
    /// <param name="innerException">The command error it came from.</param>
    public MongoNotAuthorizedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MongoNotAuthorizedException"/> class.</summary>
    /// <param name="userName">The authenticated user, when known (never a password).</param>
    /// <param name="commandName">The refused command, e.g. <c>replSetGetStatus</c>.</param>
    /// <param name="innerException">The command error it came from.</param>
    public MongoNotAuthorizedException(string? userName, string? commandName, Exception? innerException = null)
        : base(BuildMessage(userName, commandName), innerException)
    {
        UserName = userName;
        CommandName = commandName;
    }

    /// <summary>Gets the authenticated user, when known.</summary>
    public string? UserName { get; }

    /// <summary>Gets the refused command, when known.</summary>
    public string? CommandName { get; }

    /// <summary>Gets the fix, phrased for an operator: which role to grant to whom.</summary>
    public string Remedy => $"grant the {RequiredRole} role to {(string.IsNullOrEmpty(UserName) ? "the monitoring user" : UserName)}";

    private static string BuildMessage(string? userName, string? commandName) =>
        $"not authorized{(commandName is null ? string.Empty : $" to run {commandName}")}: grant the {RequiredRole} role to {(string.IsNullOrEmpty(userName) ? "the monitoring user" : userName)}";
}
