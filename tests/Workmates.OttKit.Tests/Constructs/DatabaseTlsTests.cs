using System.Text.Json;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.Mongo.Backup;
using Workmates.OttKit.Tests.Blueprint;

namespace Workmates.OttKit.Tests.Constructs;

/// <summary>Encryption in transit for the synthesized replica set: requireTLS, the private CA's secrets and grants, tls=true, the opt-out.</summary>
public sealed class DatabaseTlsTests
{
    private static readonly StackSet Secure = SampleSpecs.Owl270().Synthesize();

    private static EnvironmentSpec Plaintext() => SampleSpecs.Owl270() with { Weakenings = new Weakenings { DisableDatabaseTls = true } };

    private static JsonElement Template(StackSet set, string part) =>
        JsonDocument.Parse(set.Stacks.Single(s => s.Name.EndsWith("-" + part, StringComparison.Ordinal)).Template.ToJson()).RootElement;

    private static JsonElement Resource(JsonElement template, string id) => template.GetProperty("Resources").GetProperty(id);

    private static bool Has(JsonElement template, string id) => template.GetProperty("Resources").TryGetProperty(id, out _);

    private static string UserData(JsonElement template, int member) =>
        Resource(template, $"Member{member}").GetProperty("Properties").GetProperty("UserData").GetProperty("Fn::Base64").GetProperty("Fn::Sub")[0].GetString()!;

    private static IEnumerable<JsonElement> Statements(JsonElement template, string roleId) =>
        Resource(template, roleId).GetProperty("Properties").GetProperty("Policies").EnumerateArray()
            .SelectMany(p => p.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());

    private static string[] Refs(JsonElement statement) =>
        [.. (statement.GetProperty("Resource").ValueKind == JsonValueKind.Array ? statement.GetProperty("Resource").EnumerateArray() : new[] { statement.GetProperty("Resource") }.AsEnumerable())
            .Select(r => r.TryGetProperty("Ref", out var id) ? id.GetString()! : r.ToString()).Order(StringComparer.Ordinal)];

    private static string[] Actions(JsonElement statement) => statement.GetProperty("Action").ValueKind == JsonValueKind.Array
        ? [.. statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)]
        : [statement.GetProperty("Action").GetString()!];

    [Fact]
    public void EveryMember_RequiresTlsWithItsCertificateAndTheEnvironmentsCa()
    {
        var database = Template(Secure, "database");
        for (var n = 1; n <= 3; n++)
        {
            var script = UserData(database, n);
            Assert.Contains("  tls:\n    mode: requireTLS\n    certificateKeyFile: /etc/mongod-tls/member.pem\n    CAFile: /etc/mongod-tls/ca.pem\n", script, StringComparison.Ordinal);
            Assert.Contains("security:\n  keyFile: /etc/mongod.key", script, StringComparison.Ordinal);
            Assert.Contains("getsecret '${TlsMemberSecret}' > /etc/mongod-tls/member.pem", script, StringComparison.Ordinal);
            Assert.All(script.Split('\n').Where(l => l.Contains("mongosh --quiet", StringComparison.Ordinal)), l => Assert.Contains("--tls --tlsCAFile /etc/mongod-tls/ca.pem", l, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void MemberOne_IssuesTheCaAndEveryMemberCertificateOnce_WithTheMembersNamesAsSubjectAltNames()
    {
        var script = UserData(Template(Secure, "database"), 1);

        Assert.Contains("if ! getsecret '${TlsCaKeySecret}' | grep -q 'BEGIN'; then", script, StringComparison.Ordinal);
        Assert.Contains("openssl req -x509 -newkey rsa:4096", script, StringComparison.Ordinal);
        for (var n = 1; n <= 3; n++)
        {
            Assert.Contains($"subjectAltName=DNS:mongo-{n}.owl270.internal,DNS:localhost,IP:127.0.0.1", script, StringComparison.Ordinal);
            Assert.Contains($"putsecret '${{TlsMember{n}Secret}}' member{n}.pem", script, StringComparison.Ordinal);
        }

        // The CA key is stored last: its PEM marks the issue complete.
        Assert.True(script.IndexOf("putsecret '${TlsCaKeySecret}'", StringComparison.Ordinal) > script.IndexOf("putsecret '${TlsCaSecret}'", StringComparison.Ordinal));
        Assert.DoesNotContain("openssl req", UserData(Template(Secure, "database"), 2), StringComparison.Ordinal);
    }

    [Fact]
    public void TlsSecrets_AreEncryptedUnderTheDataKeyAndRetained()
    {
        var database = Template(Secure, "database");
        foreach (var id in new[] { "TlsCaKeySecret", "TlsCaSecret", "Member1TlsSecret", "Member2TlsSecret", "Member3TlsSecret" })
        {
            var secret = Resource(database, id);
            Assert.Equal("AWS::SecretsManager::Secret", secret.GetProperty("Type").GetString());
            Assert.Equal("owl270:security:DataKeyArn", secret.GetProperty("Properties").GetProperty("KmsKeyId").GetProperty("Fn::ImportValue").GetString());
            Assert.Equal("Retain", secret.GetProperty("DeletionPolicy").GetString());
        }
    }

    [Fact]
    public void MemberRoles_ReadOnlyTheirOwnCertificate_AndOnlyMemberOneTouchesTheCaKey()
    {
        var database = Template(Secure, "database");

        var read2 = Statements(database, "Member2Role").Single(s => s.GetProperty("Sid").GetString() == "ReadOwnSecrets");
        Assert.Equal(["KeyFileSecret", "Member2TlsSecret", "TlsCaSecret"], Refs(read2));
        Assert.DoesNotContain(Statements(database, "Member2Role"), s => Actions(s).Contains("secretsmanager:PutSecretValue"));

        var read1 = Statements(database, "Member1Role").Single(s => s.GetProperty("Sid").GetString() == "ReadOwnSecrets");
        Assert.Equal(["AdminSecret", "AppSecret", "BackupSecret", "KeyFileSecret", "Member1TlsSecret", "TlsCaKeySecret", "TlsCaSecret"], Refs(read1));
        var issue = Statements(database, "Member1Role").Single(s => s.GetProperty("Sid").GetString() == "IssueTlsCertificates");
        Assert.Equal(["secretsmanager:PutSecretValue"], Actions(issue));
        Assert.Equal(["AdminSecret", "AppSecret", "BackupSecret", "Member1TlsSecret", "Member2TlsSecret", "Member3TlsSecret", "TlsCaKeySecret", "TlsCaSecret"], Refs(issue));
        var encrypt = Statements(database, "Member1Role").Single(s => s.GetProperty("Sid").GetString() == "EncryptThroughSecretsmanager");
        Assert.Equal(["kms:GenerateDataKey"], Actions(encrypt));
        Assert.True(encrypt.GetProperty("Condition").GetProperty("StringEquals").TryGetProperty("kms:ViaService", out _));
    }

    [Fact]
    public void ExportedConnectionString_SaysTlsTrue_AndTheCaSecretIsExported()
    {
        var outputs = Template(Secure, "database").GetProperty("Outputs");

        Assert.EndsWith("&tls=true", outputs.GetProperty("ConnectionString").GetProperty("Value").GetString(), StringComparison.Ordinal);
        Assert.Equal("TlsCaSecret", outputs.GetProperty("TlsCaSecretArn").GetProperty("Value").GetProperty("Ref").GetString());
    }

    [Fact]
    public void BackupTask_GetsTheCaFromTheBackupUsersSecret_WithoutAnyFurtherGrant()
    {
        var backup = Template(Secure, "database-backup");
        var container = Resource(backup, "BackupTaskDefinition").GetProperty("Properties").GetProperty("ContainerDefinitions")[0];

        var ca = container.GetProperty("Secrets").EnumerateArray().Single(s => s.GetProperty("Name").GetString() == BackupTaskEnvironment.TlsCaVariable);
        Assert.Equal("${Secret}:ca::", ca.GetProperty("ValueFrom").GetProperty("Fn::Sub")[0].GetString());
        Assert.Contains("owl270:database:BackupSecretArn", ca.GetProperty("ValueFrom").ToString(), StringComparison.Ordinal);
        var read = Statements(backup, "BackupExecutionRole").Single(s => s.GetProperty("Sid").GetString() == "ReadOwnSecrets");
        Assert.Equal("owl270:database:BackupSecretArn", read.GetProperty("Resource").GetProperty("Fn::ImportValue").GetString());
    }

    [Fact]
    public void MemberOne_AddsTheCaToEveryUserSecret()
    {
        var script = UserData(Template(Secure, "database"), 1);

        Assert.Contains("for USER_SECRET in '${AdminSecret}' '${AppSecret}' '${BackupSecret}'; do", script, StringComparison.Ordinal);
        Assert.Contains("jq --rawfile ca ca.crt '.ca = $ca'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void DisableDatabaseTls_LeavesThePlaintextSetupAndShowsAsAWeakening()
    {
        var spec = Plaintext();
        var set = spec.Synthesize();
        var database = Template(set, "database");

        Assert.DoesNotContain("requireTLS", UserData(database, 1), StringComparison.Ordinal);
        Assert.DoesNotContain("--tls", UserData(database, 1), StringComparison.Ordinal);
        Assert.False(Has(database, "TlsCaSecret"));
        Assert.False(database.GetProperty("Outputs").TryGetProperty("TlsCaSecretArn", out _));
        Assert.DoesNotContain("tls=true", database.GetProperty("Outputs").GetProperty("ConnectionString").GetProperty("Value").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(BackupTaskEnvironment.TlsCaVariable, Template(set, "database-backup").ToString(), StringComparison.Ordinal);
        Assert.Contains(spec.DescribeWeakenings(), l => l.StartsWith("weakenings.disableDatabaseTls:", StringComparison.Ordinal));
        Assert.DoesNotContain(SampleSpecs.Owl270().DescribeWeakenings(), l => l.StartsWith("weakenings.disableDatabaseTls", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DisableDatabaseTls_IsRead()
    {
        var spec = EnvironmentSpec.Parse("""
            name: d
            region: ap-south-1
            weakenings:
              disableDatabaseTls: true
            """, "d.yaml");

        Assert.True(spec.Weakenings.DisableDatabaseTls);
    }
}

/// <summary>The backup task's CA: the PEM from ECS becomes a tlsCAFile.</summary>
public sealed class BackupTaskEnvironmentTlsTests : IDisposable
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private readonly string _directory = Directory.CreateTempSubdirectory("ottkit-ca-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Func<string, string?> Environment(string? ca) => name => name switch
    {
        BackupTaskEnvironment.ConnectionStringVariable => "mongodb://mongo-1.x.internal:27017/x?replicaSet=rs0&authSource=admin&tls=true",
        BackupTaskEnvironment.UsernameVariable => "backup",
        BackupTaskEnvironment.PasswordVariable => "secret",
        BackupTaskEnvironment.TlsCaVariable => ca,
        _ => null,
    };

    [Fact]
    public void ConnectionUri_WithTheCaPem_WritesItAndReferencesItAsTlsCaFile()
    {
        var uri = BackupTaskEnvironment.ConnectionUri(Environment(Pem), _directory)!;

        var path = Uri.UnescapeDataString(uri[(uri.IndexOf("&tlsCAFile=", StringComparison.Ordinal) + "&tlsCAFile=".Length)..]);
        Assert.StartsWith("mongodb://backup:secret@mongo-1.x.internal:27017/x?replicaSet=rs0&authSource=admin&tls=true&tlsCAFile=", uri, StringComparison.Ordinal);
        Assert.Equal(Pem, File.ReadAllText(path));
        Assert.Equal(uri, BackupTaskEnvironment.ConnectionUri(Environment(Pem), _directory));
    }

    [Fact]
    public void ConnectionUri_WithoutTheCa_IsTheUriOfTheParts() =>
        Assert.Equal(BackupTaskEnvironment.ConnectionUri(Environment(null)), BackupTaskEnvironment.ConnectionUri(Environment(null), _directory));

    [Fact]
    public void ConnectionUri_WithAPlaceholderInsteadOfAPem_SaysTheCaIsNotIssued()
    {
        var error = Assert.Throws<FormatException>(() => BackupTaskEnvironment.ConnectionUri(Environment("pending"), _directory));

        Assert.Contains(BackupTaskEnvironment.TlsCaVariable, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
