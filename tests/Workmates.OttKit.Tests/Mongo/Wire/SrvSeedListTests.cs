using System.Text;
using Workmates.OttKit.Mongo.Wire;
using Workmates.OttKit.Mongo.Wire.Srv;

namespace Workmates.OttKit.Tests.Mongo.Wire;

public sealed class SrvSeedListTests
{
    private const ushort Id = 0x1234;

    /// <summary>Builds a DNS response by hand so the parser is checked against the RFC 1035 layout, not against itself.</summary>
    private sealed class ResponseBuilder
    {
        private readonly List<byte> _bytes = [];
        private int _answers;

        public ResponseBuilder(ushort flags = 0x8180)
        {
            _bytes.AddRange([Id >> 8, Id & 0xFF, (byte)(flags >> 8), (byte)flags, 0, 1, 0, 0, 0, 0, 0, 0]);
            Name("_mongodb._tcp.cluster0.example.com");
            _bytes.AddRange([0, 33, 0, 1]);
        }

        public int Offset => _bytes.Count;

        public ResponseBuilder Srv(int port, Action<ResponseBuilder> target)
        {
            _answers++;
            _bytes.AddRange([0xC0, 12, 0, 33, 0, 1, 0, 0, 0, 60]);
            var lengthAt = _bytes.Count;
            _bytes.AddRange([0, 0, 0, 1, 0, 5, (byte)(port >> 8), (byte)port]);
            target(this);
            var length = _bytes.Count - lengthAt - 2;
            _bytes[lengthAt] = (byte)(length >> 8);
            _bytes[lengthAt + 1] = (byte)length;
            return this;
        }

        public ResponseBuilder Txt(params string[] strings)
        {
            _answers++;
            _bytes.AddRange([0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60]);
            var data = strings.SelectMany(s => new[] { (byte)s.Length }.Concat(Encoding.ASCII.GetBytes(s))).ToArray();
            _bytes.AddRange([(byte)(data.Length >> 8), (byte)data.Length]);
            _bytes.AddRange(data);
            return this;
        }

        public void Name(string name)
        {
            foreach (var label in name.Split('.'))
            {
                _bytes.Add((byte)label.Length);
                _bytes.AddRange(Encoding.ASCII.GetBytes(label));
            }

            _bytes.Add(0);
        }

        public void Label(string label)
        {
            _bytes.Add((byte)label.Length);
            _bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        public void Pointer(int offset) => _bytes.AddRange([(byte)(0xC0 | (offset >> 8)), (byte)offset]);

        public byte[] Build()
        {
            var bytes = _bytes.ToArray();
            bytes[7] = (byte)_answers;
            return bytes;
        }
    }

    private static MongoConnectionString Srv(string query = "") => MongoConnectionString.Parse("mongodb+srv://user:pw@cluster0.example.com/app" + query);

    [Fact]
    public void Query_is_encoded_as_rfc_1035_labels_with_recursion_desired()
    {
        var query = DnsMessage.BuildQuery(Id, "a.bc", DnsRecordType.Srv);

        Assert.Equal(Convert.FromHexString("123401000001000000000000" + "0161" + "026263" + "00" + "0021" + "0001"), query);
    }

    [Fact]
    public void Srv_answers_are_parsed_including_compressed_target_names()
    {
        var builder = new ResponseBuilder();
        var suffixAt = 0;
        builder.Srv(27017, b => { b.Label("a"); suffixAt = b.Offset; b.Name("example.com"); });
        builder.Srv(27018, b => { b.Label("b"); b.Pointer(suffixAt); });

        var answer = DnsMessage.ParseResponse(builder.Build(), Id);

        Assert.Equal([new SrvRecord("a.example.com", 27017, 1, 5), new SrvRecord("b.example.com", 27018, 1, 5)], answer.Srv);
        Assert.False(answer.Truncated);
    }

    [Fact]
    public void Txt_character_strings_of_one_record_are_concatenated()
    {
        var answer = DnsMessage.ParseResponse(new ResponseBuilder().Txt("replicaSet=rs0", "&authSource=admin").Build(), Id);

        Assert.Equal(["replicaSet=rs0&authSource=admin"], answer.Txt);
    }

    [Fact]
    public void Name_error_is_an_empty_answer_and_truncation_is_reported()
    {
        Assert.Empty(DnsMessage.ParseResponse(new ResponseBuilder(flags: 0x8183).Build(), Id).Srv);
        Assert.True(DnsMessage.ParseResponse(new ResponseBuilder(flags: 0x8380).Build(), Id).Truncated);
    }

    [Fact]
    public void Malformed_responses_are_rejected()
    {
        var forwardPointer = new ResponseBuilder();
        forwardPointer.Srv(27017, b => b.Pointer(400));

        Assert.Throws<MongoConfigurationException>(() => DnsMessage.ParseResponse(new ResponseBuilder().Build(), 0x9999));
        Assert.Throws<MongoConfigurationException>(() => DnsMessage.ParseResponse(forwardPointer.Build(), Id));
        Assert.Throws<MongoConfigurationException>(() => DnsMessage.ParseResponse(new ResponseBuilder().Build().AsSpan(0, 20).ToArray(), Id));
    }

    [Fact]
    public void Resolution_yields_the_srv_hosts_and_txt_options_with_uri_options_winning()
    {
        var connectionString = Srv("?authSource=fromUri");
        SrvRecord[] records = [new("a.example.com.", 27017, 0, 0), new("B.EXAMPLE.COM", 27018, 0, 0)];

        var resolved = SeedList.Resolve(connectionString, records, ["replicaSet=rs0&authSource=fromTxt"], new Random(1));

        Assert.Equal(["a.example.com:27017", "b.example.com:27018"], resolved.Hosts.Select(h => h.ToString()));
        Assert.Equal("rs0", resolved.ReplicaSet);
        Assert.Equal("fromUri", resolved.Credential!.Source);
        Assert.True(resolved.Tls);
        resolved.EnsureSeedListIsExplicit();
    }

    [Fact]
    public void Query_names_use_the_service_name_and_host()
    {
        var connectionString = Srv("?srvServiceName=custom");

        Assert.Equal("_custom._tcp.cluster0.example.com", SeedList.SrvQueryName(connectionString));
        Assert.Equal("cluster0.example.com", SeedList.TxtQueryName(connectionString));
    }

    [Theory]
    [InlineData("evil.com")]
    [InlineData("a.notexample.com")]
    [InlineData("example.com")]
    public void Targets_outside_the_parent_domain_are_refused(string target)
    {
        Assert.Throws<MongoConfigurationException>(() => SeedList.Resolve(Srv(), [new(target, 27017, 0, 0)], [], new Random(1)));
    }

    [Theory]
    [InlineData("mongo.local", "db1.mongo.local", true)]
    [InlineData("mongo.local", "db1.local", false)]
    [InlineData("localhost", "db1.localhost", true)]
    [InlineData("cluster0.example.com", "shard-00.example.com", true)]
    public void Short_srv_names_require_targets_below_the_whole_name(string srvHost, string target, bool accepted)
    {
        Assert.Equal(accepted, SeedList.SharesParentDomain(srvHost, target));
    }

    [Theory]
    [InlineData("replicaSet=a|replicaSet=b")]
    [InlineData("ssl=false")]
    [InlineData("authSource")]
    public void Invalid_txt_records_are_errors(string txtRecords)
    {
        var txt = txtRecords.Split('|');

        Assert.Throws<MongoConfigurationException>(() => SeedList.Resolve(Srv(), [new("a.example.com", 27017, 0, 0)], txt, new Random(1)));
    }

    [Fact]
    public void No_srv_records_is_an_error()
    {
        Assert.Throws<MongoConfigurationException>(() => SeedList.Resolve(Srv(), [], [], new Random(1)));
    }

    [Fact]
    public void Srv_max_hosts_keeps_a_random_subset_of_that_size()
    {
        var records = Enumerable.Range(1, 5).Select(i => new SrvRecord($"h{i}.example.com", 27017, 0, 0)).ToList();

        var resolved = SeedList.Resolve(Srv("?srvMaxHosts=2"), records, [], new Random(7));

        Assert.Equal(2, resolved.Hosts.Count);
        Assert.All(resolved.Hosts, h => Assert.Contains(records, r => r.Target == h.Host));
    }

    [Fact]
    public void Load_balanced_srv_must_resolve_to_one_host()
    {
        var records = new[] { new SrvRecord("a.example.com", 27017, 0, 0), new SrvRecord("b.example.com", 27017, 0, 0) };

        Assert.Throws<MongoConfigurationException>(() => SeedList.Resolve(Srv(), records, ["loadBalanced=true"], new Random(1)));
    }
}
