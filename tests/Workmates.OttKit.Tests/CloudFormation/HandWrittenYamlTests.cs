using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

public sealed class HandWrittenYamlTests
{
    private const string HandWritten = """
        AWSTemplateFormatVersion: 2010-09-09
        Description: Hand-written template # a comment
        Parameters:
          Env:
            Type: String
            AllowedValues: [dev, prod]
            Default: dev
          Port:
            Type: Number
            Default: 8080
            MinValue: 1
            MaxValue: 65535
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            DeletionPolicy: Retain
            Properties:
              BucketName: !Join
                - '-'
                - - !Sub '${AWS::StackName}'
                  - !Select [0, !Split ['-', !Ref 'AWS::StackId']]
              Switches:
                on: yes
                off: no
                y: n
                nothing: null
                tilde: ~
                empty:
                real: true
                Fake: True
                octal: 0o17
                hex: 0x1F
                leadingZero: 0123
                float: 1.5e3
                negative: -4
                quoted: "123"
              Arn: !GetAtt Role.Arn
              Address: !GetAtt Db.Endpoint.Address
              LongForm:
                Fn::GetAtt: [Role, Arn]
              LongDotted:
                Fn::GetAtt: Role.Arn
              UserData:
                Fn::Base64: !Sub |
                  #!/bin/bash
                  echo ${Env}
              Shared: &shared
                Key: value
              Reused: *shared
              Mapped: !FindInMap [Map, !Ref 'AWS::Region', Ami]
              Zones: !GetAZs ''
              Maybe: !If [IsProd, !Ref Env, !Ref 'AWS::NoValue']
          Role:
            Type: AWS::IAM::Role
            Condition: IsProd
            DependsOn: Topic
          Topic:
            Type: AWS::SNS::Topic
        Outputs:
          Arn:
            Value: !GetAtt Role.Arn
            Export:
              Name: !Sub '${AWS::StackName}-Arn'
        """;

    private static readonly Template Parsed = Template.Parse(HandWritten);

    private static CfnNode Property(string name) => Parsed.Resources["Bucket"].Properties[name];

    private static CfnNode Switch(string name) => ((CfnObject)Property("Switches"))[name];

    [Fact]
    public void UnquotedDateFormatVersion_IsReadAsText() =>
        Assert.Equal("2010-09-09", Parsed.FormatVersion);

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("y")]
    public void Yaml11BooleanWordsAsKeys_StayStrings(string key) =>
        Assert.True(((CfnObject)Property("Switches")).ContainsKey(key));

    [Theory]
    [InlineData("on", "yes")]
    [InlineData("off", "no")]
    [InlineData("y", "n")]
    [InlineData("Fake", "True")]
    [InlineData("quoted", "123")]
    public void Yaml11BooleanWordsAsValues_StayStrings(string key, string expected)
    {
        var value = Switch(key);

        Assert.Equal(key == "Fake" ? CfnScalar.Of(true) : CfnScalar.Of(expected), value);
    }

    [Fact]
    public void OnlyTrueAndFalseAreBooleans() => Assert.Equal(CfnScalar.Of(true), Switch("real"));

    [Theory]
    [InlineData("nothing")]
    [InlineData("tilde")]
    [InlineData("empty")]
    public void NullForms_AreNull(string key) => Assert.Equal(CfnScalar.Null, Switch(key));

    [Theory]
    [InlineData("octal", 15)]
    [InlineData("hex", 31)]
    [InlineData("leadingZero", 123)]
    [InlineData("negative", -4)]
    public void Yaml12Integers_AreIntegers(string key, long expected) => Assert.Equal(CfnScalar.Of(expected), Switch(key));

    [Fact]
    public void Yaml12Floats_AreNumbers() => Assert.Equal(CfnScalar.Of(1500.0), Switch("float"));

    [Fact]
    public void ShortGetAtt_IsSplitAtTheFirstDot()
    {
        Assert.Equal(Fn.GetAtt("Role", "Arn"), Property("Arn"));
        Assert.Equal(Fn.GetAtt("Db", "Endpoint.Address"), Property("Address"));
    }

    [Fact]
    public void LongFormGetAtt_InBothShapes_MatchesTheShortForm()
    {
        Assert.Equal(Fn.GetAtt("Role", "Arn"), Property("LongForm"));
        Assert.Equal(Fn.GetAtt("Role", "Arn"), Property("LongDotted"));
    }

    [Fact]
    public void NestedShortForms_AreRead() =>
        Assert.Equal(
            Fn.Join("-", Fn.Sub("${AWS::StackName}"), Fn.Select(0, Fn.Split("-", Pseudo.StackId))),
            Property("BucketName"));

    [Fact]
    public void LongFormBase64_AroundShortSub_IsRead() =>
        Assert.Equal(Fn.Base64(Fn.Sub("#!/bin/bash\necho ${Env}\n")), Property("UserData"));

    [Fact]
    public void Aliases_ResolveToTheAnchoredValue() => Assert.Equal(Property("Shared"), Property("Reused"));

    [Fact]
    public void ShortFormsInFlowSequences_AreRead()
    {
        Assert.Equal(Fn.FindInMap("Map", Pseudo.Region, "Ami"), Property("Mapped"));
        Assert.Equal(Fn.If("IsProd", Fn.Ref("Env"), Pseudo.NoValue), Property("Maybe"));
        Assert.Equal(Fn.GetAZs(), Property("Zones"));
        Assert.Equal(Fn.Equals(Fn.Ref("Env"), "prod"), Parsed.Conditions["IsProd"]);
    }

    [Fact]
    public void SectionsAndAttributes_AreRead()
    {
        Assert.Equal(new[] { "dev", "prod" }, Parsed.Parameters["Env"].AllowedValues);
        Assert.Equal("8080", Parsed.Parameters["Port"].Default);
        Assert.Equal(65535, Parsed.Parameters["Port"].MaxValue);
        Assert.Equal(DeletionPolicy.Retain, Parsed.Resources["Bucket"].DeletionPolicy!.Literal);
        Assert.Equal("IsProd", Parsed.Resources["Role"].Condition);
        Assert.Equal(new[] { "Topic" }, Parsed.Resources["Role"].DependsOn);
        Assert.Equal(Fn.Sub("${AWS::StackName}-Arn"), Parsed.Outputs["Arn"].ExportName!.ToNode());
    }

    [Fact]
    public void HandWrittenTemplate_PassesTheChecks_ExceptTheMissingDbAndMap()
    {
        var problems = Parsed.Check().Problems.Select(static p => p.Message).ToList();

        Assert.True(problems.Count == 2, string.Join("\n", problems));
        Assert.Contains("Resources.Bucket.Properties.Address: GetAtt on undefined resource 'Db'.", problems);
        Assert.Contains("Resources.Bucket.Properties.Mapped: Fn::FindInMap names undefined mapping 'Map'.", problems);
    }

    [Theory]
    [InlineData("Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SNS::Topic\n", "Resources.A")]
    [InlineData("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Colour: red\n", "Resources.A.Colour")]
    [InlineData("Resources:\n  A:\n    Properties: {}\n", "Resources.A")]
    [InlineData("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Maybe\n", "Resources.A.DeletionPolicy")]
    [InlineData("Resources: [1, 2]\n", "Resources")]
    [InlineData("Sections: {}\n", "Sections")]
    [InlineData("Outputs:\n  O:\n    Description: no value\n", "Outputs.O")]
    [InlineData("Resources:\n  A: !Ref\n    Type: x\n  - broken", "")]
    [InlineData("{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}, \"A\": {\"Type\": \"AWS::SNS::Topic\"}}}", "Resources.A")]
    [InlineData("{\"Resources\": ", "")]
    [InlineData("Parameters:\n  P:\n    Type: String\n    MinLength: 99999999999\n", "Parameters.P.MinLength")]
    [InlineData("Parameters:\n  P:\n    Type: String\n    MaxLength: -1\n", "Parameters.P.MaxLength")]
    public void MalformedTemplate_ThrowsWithThePath(string text, string path)
    {
        var error = Assert.Throws<TemplateFormatException>(() => Template.Parse(text));

        Assert.Equal(path, error.Path);
    }
}
