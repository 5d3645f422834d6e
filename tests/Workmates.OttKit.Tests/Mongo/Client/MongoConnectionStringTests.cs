using Microsoft.Extensions.DependencyInjection;
using Workmates.OttKit.Mongo.Client;

namespace Workmates.OttKit.Tests.Mongo.Client;

public sealed class MongoConnectionStringTests
{
    [Fact]
    public void Redacted_form_hides_the_password_and_secret_options()
    {
        var parsed = MongoConnectionString.Parse("mongodb://alice:s3cr%3At@db1,db2:27018/app?replicaSet=rs0&tlsCertificateKeyFilePassword=hunter2");

        Assert.Equal("mongodb://alice:*****@db1:27017,db2:27018/app?replicaSet=rs0&tlsCertificateKeyFilePassword=*****", parsed.ToString());
        Assert.DoesNotContain("s3cr", parsed.Redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mongodb://alice:topsecret@host:99999")]
    [InlineData("mongodb://alice:topsecret@host/?authMechanism=MONGODB-X509")]
    [InlineData("mongodb://alice:top%secret@host")]
    [InlineData("mongodb://alice:topsecret@host/?tls=true&ssl=false")]
    [InlineData("mongodb://alice:top?secret@host")]
    [InlineData("mongodb://alice:top/secret@host")]
    [InlineData("mongodb://alice:top:secret@host")]
    public void Error_messages_never_contain_the_password(string uri)
    {
        var error = Assert.Throws<MongoConfigurationException>(() => MongoConnectionString.Parse(uri));

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Option_names_are_case_insensitive()
    {
        var parsed = MongoConnectionString.Parse("mongodb://h/?REPLICASET=rs0&connecttimeoutms=2500&ReadPreference=SECONDARYPREFERRED");

        Assert.Equal("rs0", parsed.ReplicaSet);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), parsed.ConnectTimeout);
        Assert.Equal(ReadPreferenceMode.SecondaryPreferred, parsed.ReadPreference.Mode);
    }

    [Fact]
    public void Heartbeat_below_500_ms_is_warned_about_and_ignored()
    {
        var parsed = MongoConnectionString.Parse("mongodb://h/?heartbeatFrequencyMS=100");

        Assert.Equal(TimeSpan.FromSeconds(10), parsed.HeartbeatFrequency);
        Assert.Contains(parsed.Warnings, w => w.Contains("heartbeatFrequencyMS", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeated_read_preference_tags_keep_their_order()
    {
        var parsed = MongoConnectionString.Parse("mongodb://h/?readPreference=nearest&readPreferenceTags=dc:ny,rack:1&readPreferenceTags=dc:sf&readPreferenceTags=&maxStalenessSeconds=120");

        Assert.Equal(3, parsed.ReadPreference.TagSets.Count);
        Assert.Equal("sf", parsed.ReadPreference.TagSets[1]["dc"]);
        Assert.Empty(parsed.ReadPreference.TagSets[2]);
        Assert.Equal(TimeSpan.FromSeconds(120), parsed.ReadPreference.MaxStaleness);
    }

    [Fact]
    public void Srv_uri_parses_but_refuses_to_connect_with_the_alternative_named()
    {
        var parsed = MongoConnectionString.Parse("mongodb+srv://cluster0.example.com/?srvMaxHosts=2");

        Assert.True(parsed.Tls);
        var error = Assert.Throws<MongoConfigurationException>(parsed.EnsureSeedListIsExplicit);
        Assert.Contains("replicaSet=", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Srv_uri_is_accepted_by_the_health_registration_mapped_to_the_drivers_srv_scheme_and_redacted()
    {
        const string Uri = "mongodb+srv://monitor:Srv-Secret%3F1@cluster0.example.com/?authSource=admin&srvServiceName=mongo&srvMaxHosts=2&appName=health";
        var parsed = MongoConnectionString.Parse(Uri);
        var services = new ServiceCollection();

        // Registration parses but does not resolve: no DNS query happens until the check first runs.
        _ = services.AddHealthChecks().AddMongoReplicaSet("mongo", Uri, _ => { });
        var settings = MongoDriverSettings.From(parsed);

        Assert.Equal(MongoDB.Driver.Core.Configuration.ConnectionStringScheme.MongoDBPlusSrv, settings.Scheme);
        Assert.Equal("cluster0.example.com", settings.Server.Host);
        Assert.Equal(("mongo", 2), (settings.SrvServiceName, settings.SrvMaxHosts));
        Assert.True(settings.UseTls); // +srv turns TLS on unless the URI says tls=false
        Assert.Equal("mongodb+srv://monitor:*****@cluster0.example.com/?authSource=admin&srvServiceName=mongo&srvMaxHosts=2&appName=health", parsed.Redacted);
        Assert.DoesNotContain("Srv-Secret", parsed.ToString(), StringComparison.Ordinal);
        Assert.Contains(services, d => d.ServiceType == typeof(Workmates.OttKit.Mongo.Health.IReplicaSetStatusSource) && Equals(d.ServiceKey, "mongo"));
    }

    [Fact]
    public void Ipv6_and_unix_socket_hosts_are_recognised()
    {
        var parsed = MongoConnectionString.Parse("mongodb://[::1]:27018,%2Ftmp%2Fmongodb-27017.sock");

        Assert.Equal(new MongoServerAddress("::1", 27018, MongoHostKind.IPLiteral), parsed.Hosts[0]);
        Assert.Equal(MongoHostKind.UnixSocket, parsed.Hosts[1].Kind);
        Assert.Equal("/tmp/mongodb-27017.sock", parsed.Hosts[1].Host);
    }
}
