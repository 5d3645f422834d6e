using System.Text;
using Workmates.OttKit.Mongo.Wire;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class ScramConversationTests
{
    private const string ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    private const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

    private static MongoCredential Credential(string password = "pencil") =>
        MongoConnectionString.Parse($"mongodb://user:{Uri.EscapeDataString(password)}@h/?authMechanism=SCRAM-SHA-256").Credential!;

    [Theory]
    [InlineData("r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOabc,i=4096")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4095")]
    [InlineData("r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==")]
    [InlineData("m=ext,r=rOprNGfwEbeRWgbNEkqOabc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")]
    public void Unacceptable_server_first_message_is_rejected(string serverFirst)
    {
        var conversation = ScramConversation.Start(Credential(), "SCRAM-SHA-256", ClientNonce);

        var error = Assert.Throws<MongoAuthenticationException>(() => conversation.ProcessServerFirst(serverFirst));

        Assert.Equal("user", error.Username);
        Assert.DoesNotContain("pencil", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_server_signature_is_rejected()
    {
        var conversation = ScramConversation.Start(Credential(), "SCRAM-SHA-256", ClientNonce);
        conversation.ProcessServerFirst(ServerFirst);

        Assert.Throws<MongoAuthenticationException>(() => conversation.VerifyServerFinal("v=" + Convert.ToBase64String(new byte[32])));
        Assert.False(conversation.IsComplete);
    }

    [Fact]
    public void Server_error_in_final_message_is_reported()
    {
        var conversation = ScramConversation.Start(Credential(), "SCRAM-SHA-256", ClientNonce);
        conversation.ProcessServerFirst(ServerFirst);

        var error = Assert.Throws<MongoAuthenticationException>(() => conversation.VerifyServerFinal("e=invalid-proof"));

        Assert.Contains("invalid-proof", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Salted_password_is_derived_once_per_credential_salt_and_iterations()
    {
        var credential = Credential();
        ScramConversation.Start(credential, "SCRAM-SHA-256", ClientNonce).ProcessServerFirst(ServerFirst);
        ScramConversation.Start(credential, "SCRAM-SHA-256", ClientNonce).ProcessServerFirst(ServerFirst);

        Assert.Equal(1, credential.KeyCache.Count);
    }

    [Fact]
    public void User_names_escape_equals_and_comma_but_are_not_saslprepped()
    {
        var conversation = new ScramConversation("SCRAM-SHA-256", "a=b,c\u00AD", "x", "nonce", cache: null);

        Assert.Equal("n,,n=a=3Db=2Cc\u00AD,r=nonce", conversation.ClientFirstMessage);
    }

    [Fact]
    public void Sha256_password_rejected_by_saslprep_gives_an_authentication_error_without_the_password()
    {
        var error = Assert.Throws<MongoAuthenticationException>(() => ScramConversation.Start(Credential("bad\u0007pw"), "SCRAM-SHA-256"));

        Assert.DoesNotContain("bad", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "SCRAM-SHA-1")]
    [InlineData(new[] { "SCRAM-SHA-1" }, "SCRAM-SHA-1")]
    [InlineData(new[] { "SCRAM-SHA-1", "SCRAM-SHA-256" }, "SCRAM-SHA-256")]
    public void Negotiation_prefers_sha256_when_the_server_offers_it(string[]? offered, string expected)
    {
        var credential = MongoConnectionString.Parse("mongodb://user:pw@h/app").Credential!;

        Assert.Equal(expected, AuthenticationHandshake.ChooseMechanism(credential, offered));
        Assert.Equal("app.user", AuthenticationHandshake.SaslSupportedMechsRequest(credential));
    }

    [Fact]
    public void Speculative_payload_starts_a_sha256_conversation_on_the_auth_database()
    {
        var credential = MongoConnectionString.Parse("mongodb://user:pencil@h/?authSource=admin").Credential!;

        var (command, conversation) = AuthenticationHandshake.Speculative(credential, ClientNonce)!.Value;

        Assert.Equal("SCRAM-SHA-256", command.Mechanism);
        Assert.Equal("admin", command.Database);
        Assert.Equal("n,,n=user,r=" + ClientNonce, Encoding.UTF8.GetString(command.Payload));
        Assert.StartsWith("c=biws,r=", conversation.ProcessServerFirst(ServerFirst), StringComparison.Ordinal);
    }

    [Fact]
    public void Continue_drives_the_conversation_from_base64_payloads_to_completion()
    {
        var conversation = new ScramConversation("SCRAM-SHA-256", "user", "pencil", ClientNonce, cache: null);

        var clientFinal = conversation.Continue(Convert.FromBase64String("cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY="));
        var done = conversation.Continue(Encoding.UTF8.GetBytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));

        Assert.EndsWith(",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Encoding.UTF8.GetString(clientFinal!), StringComparison.Ordinal);
        Assert.Null(done);
        Assert.True(conversation.IsComplete);
        Assert.Throws<MongoAuthenticationException>(() => conversation.Continue("v=again"u8));
    }

    [Fact]
    public void Fresh_nonces_differ_and_contain_no_comma()
    {
        var first = ScramConversation.NewNonce();
        var second = ScramConversation.NewNonce();

        Assert.NotEqual(first, second);
        Assert.DoesNotContain(',', first);
    }
}
