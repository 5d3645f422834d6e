namespace Workmates.OttKit.Mongo.Wire;

/// <summary>A <c>saslStart</c> command, without BSON: the wire client encodes it.</summary>
/// <param name="Mechanism">The SASL mechanism.</param>
/// <param name="Payload">The first client message, UTF-8.</param>
/// <param name="Database">The authentication database (the command's <c>$db</c>).</param>
/// <param name="SkipEmptyExchange">Sends <c>options: { skipEmptyExchange: true }</c> so the server ends the SCRAM exchange after verifying.</param>
internal sealed record SaslStartCommand(string Mechanism, byte[] Payload, string Database, bool SkipEmptyExchange = true);

/// <summary>
/// Pure decisions of the authentication handshake: which mechanism to use, what to ask in <c>hello</c>, and the
/// speculative <c>saslStart</c> to embed in it.
/// </summary>
internal static class AuthenticationHandshake
{
    /// <summary>The <c>saslSupportedMechs</c> value for <c>hello</c> (<c>db.user</c>), only when the mechanism is to be negotiated.</summary>
    public static string? SaslSupportedMechsRequest(MongoCredential credential) =>
        credential.Mechanism is null && credential.Username is not null ? $"{credential.Source}.{credential.Username}" : null;

    /// <summary>
    /// The mechanism to use: the configured one, else SCRAM-SHA-256 when the server lists it in
    /// <c>saslSupportedMechs</c>, else SCRAM-SHA-1 (also when the server did not answer the question).
    /// </summary>
    public static string ChooseMechanism(MongoCredential credential, IReadOnlyCollection<string>? saslSupportedMechs)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.Mechanism is not null)
        {
            return credential.Mechanism;
        }

        return saslSupportedMechs is not null && saslSupportedMechs.Contains(ScramConversation.Sha256, StringComparer.Ordinal)
            ? ScramConversation.Sha256
            : ScramConversation.Sha1;
    }

    /// <summary>
    /// The speculative <c>saslStart</c> for <c>hello</c>: SCRAM-SHA-256 when negotiating (the spec's choice for the
    /// speculative attempt), else the configured SCRAM mechanism. Returns <see langword="null"/> for other mechanisms.
    /// The returned conversation continues with the server's <c>speculativeAuthenticate</c> reply.
    /// </summary>
    public static (SaslStartCommand Command, ScramConversation Conversation)? Speculative(MongoCredential credential, string? clientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var mechanism = credential.Mechanism ?? ScramConversation.Sha256;
        if (mechanism is not (ScramConversation.Sha1 or ScramConversation.Sha256) || credential.Password is null)
        {
            return null;
        }

        var conversation = ScramConversation.Start(credential, mechanism, clientNonce);
        var command = new SaslStartCommand(mechanism, System.Text.Encoding.UTF8.GetBytes(conversation.ClientFirstMessage), credential.Source);
        return (command, conversation);
    }

    /// <summary>The <c>saslStart</c> that begins a (non-speculative) SCRAM conversation.</summary>
    public static SaslStartCommand SaslStart(ScramConversation conversation, MongoCredential credential) =>
        new(conversation.Mechanism, System.Text.Encoding.UTF8.GetBytes(conversation.ClientFirstMessage), credential.Source);
}
