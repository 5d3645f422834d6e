using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Tests.Blueprint;

public sealed class SpecLoaderTests
{
    private const string Yaml = """
        name: demo
        region: ap-south-1
        accountId: "012345678901"
        tags:
          team: media
        network:
          vpcCidr: 10.20.0.0/16
          availabilityZones: 2
          natGateways: single
        cluster:
          instanceTypes: [m7g.large, c7g.large]
          maxHosts: 16
          eniTrunking: true
        loadBalancer:
          certificateArn: arn:aws:acm:ap-south-1:012345678901:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
        services:
          - name: web
            routing: { pathPatterns: ["/*"], priority: 1000 }
            environment:
              FEATURE: on
          - name: api
            cpu: 512
            memory: 1024
            scaling: { minTasks: 3, desiredTasks: 3, maxTasks: 30 }
            secrets:
              DB_URL: ssm:/demo/db-url
        liveEvents:
          - name: launch
            startUtc: 2020-11-02T04:00:00Z
            endUtc: 2020-11-02T08:00:00Z
            services:
              - { service: api, minTasks: 6, maxTasks: 40 }
        """;

    private const string Json = """
        {
          "name": "demo",
          "region": "ap-south-1",
          "loadBalancer": { "certificateArn": "arn:aws:acm:ap-south-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" },
          "services": [ { "name": "web", "scaling": { "maxTasks": 4 } } ]
        }
        """;

    [Fact]
    public void Parse_Yaml_ReadsEveryPart()
    {
        var spec = EnvironmentSpec.Parse(Yaml, "demo.yaml");
        Assert.Equal("012345678901", spec.AccountId);
        Assert.Equal("media", spec.Tags["team"]);
        Assert.Equal(NatGatewayMode.Shared, spec.Network.NatGateways);
        Assert.Equal(["m7g.large", "c7g.large"], spec.Cluster.InstanceTypes);
        Assert.True(spec.Cluster.EniTrunking);
        Assert.Equal(30, spec.Services[1].Scaling.MaxTasks);
        Assert.Equal("ssm:/demo/db-url", spec.Services[1].Secrets["DB_URL"]);
        Assert.Equal(TestSpecs.At(2020, 11, 2, 4), spec.LiveEvents[0].StartUtc);
        Assert.Equal(40, spec.LiveEvents[0].Services[0].MaxTasks);
        Assert.True(spec.Validate().Count == 0, string.Join("\n", spec.Validate()));
    }

    [Fact]
    public void Parse_Yaml_KeepsDefaultsForAbsentKeys()
    {
        var spec = EnvironmentSpec.Parse(Yaml, "demo.yaml");
        Assert.Equal(new ServiceSpec { Name = "web" }.ContainerPort, spec.Services[0].ContainerPort);
        Assert.Equal(new ClusterSpec().RootVolumeGiB, spec.Cluster.RootVolumeGiB);
        Assert.Equal(60, spec.LiveEvents[0].PreWarmMinutes);
    }

    [Fact]
    public void Parse_YamlOnAsAValue_StaysAString() =>
        Assert.Equal("on", EnvironmentSpec.Parse(Yaml, "demo.yaml").Services[0].Environment["FEATURE"]);

    [Fact]
    public void Parse_YamlYesForABoolean_IsAnErrorNotTrue()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nnetwork:\n  interfaceEndpoints: yes\n", "d.yaml"));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("network.interfaceEndpoints", 4, 23), (problem.Path, problem.Line, problem.Column));
    }

    [Fact]
    public void Parse_Json_ReadsTheSameModel()
    {
        var spec = EnvironmentSpec.Parse(Json, "demo.json");
        Assert.Equal("web", spec.Services[0].Name);
        Assert.Equal(4, spec.Services[0].Scaling.MaxTasks);
        Assert.Equal(2, spec.Services[0].Scaling.MinTasks);
    }

    [Fact]
    public void Parse_YamlTypo_NamesPathLineColumnAndSuggestion()
    {
        var text = Yaml.Replace("maxTasks: 30", "maxTask: 30", StringComparison.Ordinal);
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(text, "demo.yaml"));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal("services[1].scaling.maxTask", problem.Path);
        Assert.Equal(24, problem.Line);
        Assert.Equal(46, problem.Column);
        Assert.Contains("did you mean 'maxTasks'?", problem.Message, StringComparison.Ordinal);
        Assert.Contains("demo.yaml(24,46)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_JsonUnknownKey_NamesPathLineAndColumn()
    {
        var text = Json.Replace("\"maxTasks\"", "\"maximumTasks\"", StringComparison.Ordinal);
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(text, "demo.json"));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("services[0].scaling.maximumTasks", 5, 47), (problem.Path, problem.Line, problem.Column));
    }

    [Fact]
    public void Parse_QuotedNumberForAnInteger_IsATypeError()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\ncluster:\n  maxHosts: \"12\"\n", "d.yaml"));
        Assert.Equal("cluster.maxHosts", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Parse_ListWhereMappingExpected_IsATypeError()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nnetwork: [1, 2]\n", "d.yaml"));
        Assert.Equal(("network", 3, 10), (ex.Problems[0].Path, ex.Problems[0].Line, ex.Problems[0].Column));
    }

    [Fact]
    public void Parse_MissingRequiredKey_IsReported()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nservices:\n  - cpu: 256\n", "d.yaml"));
        Assert.Equal(["region", "services[0].name"], ex.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_SeveralProblems_AreAllReportedInFileOrder()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nregoin: x\ncluster:\n  minHost: 1\n", "d.yaml"));
        Assert.Equal(["regoin", "cluster.minHost"], ex.Problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData("2020-11-02T04:00:00", "no time zone")]
    [InlineData("2020-11-02T09:30:00+05:30", "write 2020-11-02T04:00:00Z")]
    [InlineData("2 Nov 2020", "not an ISO 8601 UTC time")]
    public void Parse_NonUtcEventTime_IsRejectedWithItsPosition(string time, string expected)
    {
        var text = $"name: d\nregion: ap-south-1\nliveEvents:\n  - name: e\n    startUtc: {time}\n    endUtc: 2020-11-02T08:00:00Z\n    services: []\n";
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse(text, "d.yaml"));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(("liveEvents[0].startUtc", 5, 15), (problem.Path, problem.Line, problem.Column));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedYaml_NamesLineAndColumn()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: [ap-south-1\n", "d.yaml"));
        Assert.True(Assert.Single(ex.Problems).Line > 0);
    }

    [Fact]
    public void Parse_MalformedJson_NamesLineAndColumn()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("{\n  \"name\": \"d\",\n  \"region\": }\n", "d.json"));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(3, problem.Line);
    }

    [Fact]
    public void Parse_DuplicateYamlKey_IsAnError()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("name: d\nregion: ap-south-1\nname: e\n", "d.yaml"));
        Assert.Equal(3, Assert.Single(ex.Problems).Line);
    }

    [Fact]
    public void Parse_DuplicateJsonKey_IsAnError()
    {
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("{\"name\": \"d\",\n\"name\": \"e\"}", "d.json"));
        Assert.Equal((2, 1), (Assert.Single(ex.Problems).Line, ex.Problems[0].Column));
    }

    [Fact]
    public void Parse_ScalarDocument_IsRejected() =>
        Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Parse("just text", "d.yaml"));

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ottkit-missing-{Guid.NewGuid():N}.yaml");
        var ex = Assert.Throws<SpecLoadException>(() => EnvironmentSpec.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_YamlAndJsonFiles_GiveEqualSpecsForTheSameContent()
    {
        var dir = Directory.CreateTempSubdirectory("ottkit-spec-");
        try
        {
            var yamlPath = Path.Combine(dir.FullName, "s.yaml");
            var jsonPath = Path.Combine(dir.FullName, "s.json");
            File.WriteAllText(yamlPath, "name: demo\nregion: ap-south-1\nnetwork:\n  availabilityZones: 2\n");
            File.WriteAllText(jsonPath, "{ \"name\": \"demo\", \"region\": \"ap-south-1\", \"network\": { \"availabilityZones\": 2 } }");
            var fromYaml = EnvironmentSpec.Load(yamlPath);
            var fromJson = EnvironmentSpec.Load(jsonPath);
            Assert.Equal(fromYaml.Network, fromJson.Network);
            Assert.Equal(fromYaml.Name, fromJson.Name);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_WeakeningsAndServiceOptions_AreRead()
    {
        var text = """
            name: d
            region: ap-south-1
            weakenings:
              disableWebApplicationFirewall: true
            services:
              - name: api
                containerHealthCheckCommand: "curl -fs localhost:8080/health"
                weakenings: { runAsRoot: true, mutableImageTags: false }
            scheduledScaling:
              - { name: nights, startCron: "cron(0 20 * * ? *)", endCron: "cron(0 6 * * ? *)", services: [] }
            """;
        var spec = EnvironmentSpec.Parse(text, "d.yaml");
        Assert.True(spec.Weakenings.DisableWebApplicationFirewall);
        Assert.True(spec.Services[0].Weakenings.RunAsRoot);
        Assert.Equal("curl -fs localhost:8080/health", spec.Services[0].ContainerHealthCheckCommand);
        Assert.Equal(("nights", "UTC"), (spec.ScheduledScaling[0].Name, spec.ScheduledScaling[0].TimeZone));
    }
}
