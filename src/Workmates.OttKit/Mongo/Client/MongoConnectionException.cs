namespace Workmates.OttKit.Mongo.Client;

/// <summary>
/// A transport failure talking to one server: connect refused or timed out, TLS failure, an I/O error, a read timeout
/// (inner <see cref="TimeoutException"/>) or a malformed message. The connection is broken and never reused.
/// Caller cancellation is reported as <see cref="OperationCanceledException"/>, not as this exception.
/// </summary>
public sealed class MongoConnectionException : OttKitMongoException
{
    /// <summary>Creates the exception.</summary>
    public MongoConnectionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public MongoConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The socket, I/O, TLS or timeout error.</param>
    public MongoConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one server.</summary>
    /// <param name="address">The server, <c>host:port</c>.</param>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The socket, I/O, TLS or timeout error, if any.</param>
    public MongoConnectionException(string address, string message, Exception? innerException)
        : base($"{address}: {message}", innerException)
    {
        Address = address;
    }

    /// <summary>The server, <c>host:port</c>, when known.</summary>
    public string? Address { get; }

    /// <summary>Whether the operation timed out (the inner exception is a <see cref="TimeoutException"/>).</summary>
    public bool IsTimeout => InnerException is TimeoutException;

    /// <summary>
    /// Whether retrying on a new connection may succeed: timeouts, socket and I/O errors are transient; protocol
    /// violations (a malformed or oversized message, a bad checksum) are not.
    /// </summary>
    public bool IsTransient => InnerException is TimeoutException or System.Net.Sockets.SocketException or IOException;
}
