using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Tests.CloudFormation;

/// <summary>Templates shared by the CloudFormation tests: one that uses every section and every intrinsic.</summary>
internal static class SampleTemplates
{
    public static Template Everything()
    {
        var template = new Template
        {
            Description = "Everything: every section, every intrinsic",
            Transforms = { "AWS::LanguageExtensions" },
            Metadata = new CfnObject { ["Owner"] = "platform", ["on"] = "yes" },
        };
        var env = template.Add(new Parameter("Environment")
        {
            Description = "Deployment stage",
            Default = "prod",
            AllowedValues = { "dev", "prod" },
            ConstraintDescription = "dev or prod",
        });
        template.Add(new Parameter("Name")
        {
            AllowedPattern = "^[a-z0-9][a-z0-9-]*$",
            MinLength = 3,
            MaxLength = 40,
            Default = "0123",
        });
        template.Add(new Parameter("Capacity", "Number") { MinValue = 1, MaxValue = 10.5, Default = "2" });
        template.Add(new Parameter("Secret") { NoEcho = true });
        template.Add(new Parameter("Vpc", "AWS::EC2::VPC::Id"));
        template.Rules.Add("ProdNeedsCapacity", new CfnObject
        {
            ["RuleCondition"] = Fn.Equals(env.Ref(), "prod"),
            ["Assertions"] = new CfnList
            {
                new CfnObject
                {
                    ["Assert"] = new Intrinsic("Fn::Contains", new CfnList { new CfnList { "2", "3" }, Fn.Ref("Capacity") }),
                    ["AssertDescription"] = "Production runs at least two tasks",
                },
            },
        });
        template.AddMapping("RegionMap", new CfnObject
        {
            ["us-east-1"] = new CfnObject { ["Ami"] = "ami-123", ["Count"] = 2 },
            ["eu-west-1"] = new CfnObject { ["Ami"] = "ami-456", ["Count"] = 3 },
        });
        var isProd = template.AddCondition("IsProd", Fn.Equals(env.Ref(), "prod"));
        template.AddCondition("IsUsEast", Fn.Equals(Pseudo.Region, "us-east-1"));
        template.AddCondition("IsProdInUsEast", Fn.And(Fn.Condition("IsProd"), Fn.Condition("IsUsEast")));
        template.AddCondition("IsEither", Fn.Or(Fn.Condition("IsProd"), Fn.Not(Fn.Condition("IsUsEast"))));

        var bucket = template.AddResource("Assets", "AWS::S3::Bucket", new CfnObject
        {
            ["BucketName"] = Fn.Sub("${AWS::StackName}-assets-${AWS::AccountId}"),
            ["VersioningConfiguration"] = new CfnObject { ["Status"] = Fn.If(isProd, "Enabled", "Suspended") },
            ["Tags"] = new Tags { ["team"] = "media", ["Environment"] = env.Ref() },
        });
        bucket.DeletionPolicy = DeletionPolicy.Retain;
        bucket.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        var subnet = template.AddResource("SubnetA", "AWS::EC2::Subnet", new CfnObject
        {
            ["VpcId"] = Fn.Ref("Vpc"),
            ["AvailabilityZone"] = Fn.Select(0, Fn.GetAZs()),
            ["CidrBlock"] = Fn.Select(0, Fn.Cidr("10.0.0.0/16", 4, 8)),
            ["MapPublicIpOnLaunch"] = false,
        });
        var role = template.AddResource("TaskRole", "AWS::IAM::Role", new CfnObject
        {
            ["AssumeRolePolicyDocument"] = new PolicyDocument
            {
                new PolicyStatement
                {
                    Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com"),
                    Actions = { "sts:AssumeRole" },
                },
            },
            ["Policies"] = new CfnList
            {
                new CfnObject
                {
                    ["PolicyName"] = "assets",
                    ["PolicyDocument"] = new PolicyDocument
                    {
                        new PolicyStatement
                        {
                            Sid = "ReadAssets",
                            Actions = { "s3:GetObject", "s3:ListBucket" },
                            Resources = { bucket.GetAtt("Arn"), Fn.Sub("${Assets.Arn}/*") },
                            Conditions = { ["Bool"] = new CfnObject { ["aws:SecureTransport"] = "true" } },
                        },
                        new PolicyStatement
                        {
                            Effect = PolicyEffect.Deny,
                            Actions = { "s3:DeleteObject" },
                            Resources = { "*" },
                        },
                    },
                },
            },
        });
        role.Condition = isProd;
        role.DependOn(bucket);

        template.AddResource("Instance", "AWS::EC2::Instance", new CfnObject
        {
            ["ImageId"] = Fn.FindInMap("RegionMap", Pseudo.Region, "Ami"),
            ["SubnetId"] = subnet.Ref(),
            ["UserData"] = Fn.Base64(Fn.Sub("#!/bin/bash\necho ${Name} in ${AWS::Region}\nexit 0\n")),
            ["Description"] = Fn.Join("", "arn:", Pseudo.Partition, ":s3:::", Fn.Ref("Assets")),
            ["Zones"] = Fn.Join(",", Fn.Split(",", "a,b,c")),
            ["Imported"] = Fn.ImportValue(Fn.Sub("${Environment}-network-VpcId")),
            ["Mapped"] = Fn.Sub("${Host}:${Port}", new CfnObject { ["Host"] = bucket.GetAtt("DomainName"), ["Port"] = 443 }),
            ["Nested"] = Fn.Join("-", Fn.Sub("${AWS::StackName}"), Fn.GetAtt("SubnetA.AvailabilityZone")),
            ["Extras"] = new CfnList { Pseudo.StackId, Pseudo.URLSuffix, Pseudo.NoValue, Pseudo.NotificationARNs },
            ["Ratio"] = 0.25,
            ["Whole"] = 1.0,
            ["Nothing"] = CfnScalar.Null,
        }).Metadata = new CfnObject { ["Comment"] = "hand-tuned" };
        template.Resources["Instance"].CreationPolicy = new CfnObject { ["ResourceSignal"] = new CfnObject { ["Timeout"] = "PT15M" } };
        template.Resources["Instance"].UpdatePolicy = new CfnObject { ["AutoScalingReplacingUpdate"] = new CfnObject { ["WillReplace"] = true } };

        template.AddOutput("BucketArn", bucket.GetAtt("Arn"), "The assets bucket", Fn.Sub("${AWS::StackName}-BucketArn"));
        template.AddOutput("BucketName", bucket.Ref(), exportName: "assets-bucket");
        template.Add(new Output("RoleArn", role.GetAtt("Arn")) { Condition = isProd });
        return template;
    }
}
