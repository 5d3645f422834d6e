namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// The server answered a command with an error (<c>ok: 0</c>, a write error or a write-concern error). Carries the
/// server's code, code name and error labels; the message is the server's <c>errmsg</c>.
/// </summary>
public sealed class MongoCommandException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoCommandException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MongoCommandException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MongoCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from a server error.</summary>
    /// <param name="commandName">The command that failed, e.g. <c>replSetGetStatus</c>.</param>
    /// <param name="code">The server error code (0 when the server sent none).</param>
    /// <param name="codeName">The server's code name, e.g. <c>Unauthorized</c>.</param>
    /// <param name="serverMessage">The server's <c>errmsg</c>.</param>
    /// <param name="errorLabels">The server's error labels.</param>
    public MongoCommandException(string commandName, int code, string? codeName, string? serverMessage, IReadOnlyList<string> errorLabels)
        : base($"Command {commandName} failed with code {code} ({codeName ?? "no code name"}): {serverMessage ?? "no message"}")
    {
        CommandName = commandName;
        Code = code;
        CodeName = codeName;
        ServerMessage = serverMessage;
        ErrorLabels = errorLabels;
    }

    /// <summary>The command that failed.</summary>
    public string? CommandName { get; }

    /// <summary>The server error code, e.g. 13 (Unauthorized), 18 (AuthenticationFailed), 11000 (DuplicateKey).</summary>
    public int Code { get; }

    /// <summary>The server's code name, when sent.</summary>
    public string? CodeName { get; }

    /// <summary>The server's <c>errmsg</c>.</summary>
    public string? ServerMessage { get; }

    /// <summary>The server's error labels, e.g. <c>RetryableWriteError</c>.</summary>
    public IReadOnlyList<string> ErrorLabels { get; } = [];

    /// <summary>Whether the server refused for lack of a privilege (code 13, <c>Unauthorized</c>).</summary>
    public bool IsUnauthorized => Code == 13;

    /// <summary>Whether the error carries <paramref name="label"/>.</summary>
    /// <param name="label">An error label.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool HasErrorLabel(string label) => ErrorLabels.Contains(label, StringComparer.Ordinal);
}
