using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Benchmarks.CloudFormation;

/// <summary>A realistic 500-resource template: a VPC with subnets, security groups, task roles with policy documents,
/// ECS task definitions and log groups.</summary>
public static class BenchmarkTemplates
{
    public static Template FiveHundredResources()
    {
        var template = new Template { Description = "Benchmark: 500 resources of an OTT platform" };
        var env = template.Add(new Parameter("Environment") { AllowedValues = { "dev", "prod" }, Default = "prod" });
        var isProd = template.AddCondition("IsProd", Fn.Equals(env.Ref(), "prod"));
        var vpc = template.AddResource("Vpc", "AWS::EC2::VPC", new CfnObject
        {
            ["CidrBlock"] = "10.0.0.0/16",
            ["EnableDnsHostnames"] = true,
            ["Tags"] = new Tags { ["Name"] = Fn.Sub("${AWS::StackName}-vpc"), ["Environment"] = env.Ref() },
        });

        const int Services = 100;
        for (var i = 0; i < Services; i++)
        {
            var subnet = template.AddResource($"Subnet{i}", "AWS::EC2::Subnet", new CfnObject
            {
                ["VpcId"] = vpc.Ref(),
                ["CidrBlock"] = Fn.Select(i % 256, Fn.Cidr(vpc.GetAtt("CidrBlock"), 256, 8)),
                ["AvailabilityZone"] = Fn.Select(i % 3, Fn.GetAZs()),
                ["MapPublicIpOnLaunch"] = false,
                ["Tags"] = new Tags { ["Name"] = Fn.Sub($"${{AWS::StackName}}-subnet-{i}"), ["Tier"] = i % 2 == 0 ? "private" : "public" },
            });
            var group = template.AddResource($"Service{i}SecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
            {
                ["GroupDescription"] = $"Service {i}: ingress from the load balancer only",
                ["VpcId"] = vpc.Ref(),
                ["SecurityGroupIngress"] = new CfnList
                {
                    new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 8080, ["ToPort"] = 8080, ["CidrIp"] = "10.0.0.0/16" },
                    new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "10.0.0.0/16" },
                },
                ["SecurityGroupEgress"] = new CfnList { new CfnObject { ["IpProtocol"] = "-1", ["CidrIp"] = "0.0.0.0/0" } },
            });
            var logs = template.AddResource($"Service{i}Logs", "AWS::Logs::LogGroup", new CfnObject
            {
                ["LogGroupName"] = Fn.Sub($"/ott/${{AWS::StackName}}/service-{i}"),
                ["RetentionInDays"] = Fn.If(isProd, 365, 30),
            });
            logs.DeletionPolicy = DeletionPolicy.Retain;
            var role = template.AddResource($"Service{i}TaskRole", "AWS::IAM::Role", new CfnObject
            {
                ["AssumeRolePolicyDocument"] = new PolicyDocument
                {
                    new PolicyStatement { Principal = PolicyPrincipal.Service("ecs-tasks.amazonaws.com"), Actions = { "sts:AssumeRole" } },
                },
                ["Policies"] = new CfnList
                {
                    new CfnObject
                    {
                        ["PolicyName"] = "service",
                        ["PolicyDocument"] = new PolicyDocument
                        {
                            new PolicyStatement
                            {
                                Actions = { "s3:GetObject", "s3:PutObject" },
                                Resources = { Fn.Sub($"arn:${{AWS::Partition}}:s3:::ott-media-${{AWS::AccountId}}/service-{i}/*") },
                                Conditions = { ["Bool"] = new CfnObject { ["aws:SecureTransport"] = "true" } },
                            },
                            new PolicyStatement
                            {
                                Actions = { "logs:CreateLogStream", "logs:PutLogEvents" },
                                Resources = { logs.GetAtt("Arn") },
                            },
                        },
                    },
                },
                ["Tags"] = new Tags { ["Service"] = $"service-{i}" },
            });
            if (template.Resources.Count < 495)
            {
                template.AddResource($"Service{i}TaskDefinition", "AWS::ECS::TaskDefinition", new CfnObject
                {
                    ["Family"] = Fn.Sub($"${{AWS::StackName}}-service-{i}"),
                    ["TaskRoleArn"] = role.GetAtt("Arn"),
                    ["NetworkMode"] = "awsvpc",
                    ["Cpu"] = "256",
                    ["Memory"] = "512",
                    ["ContainerDefinitions"] = new CfnList
                    {
                        new CfnObject
                        {
                            ["Name"] = "app",
                            ["Image"] = Fn.Sub($"${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/service-{i}:latest"),
                            ["Essential"] = true,
                            ["PortMappings"] = new CfnList { new CfnObject { ["ContainerPort"] = 8080, ["Protocol"] = "tcp" } },
                            ["Environment"] = new CfnList
                            {
                                new CfnObject { ["Name"] = "SUBNET", ["Value"] = subnet.Ref() },
                                new CfnObject { ["Name"] = "SECURITY_GROUP", ["Value"] = group.GetAtt("GroupId") },
                                new CfnObject { ["Name"] = "FEATURE_FLAG", ["Value"] = "on" },
                            },
                            ["LogConfiguration"] = new CfnObject
                            {
                                ["LogDriver"] = "awslogs",
                                ["Options"] = new CfnObject
                                {
                                    ["awslogs-group"] = logs.Ref(),
                                    ["awslogs-region"] = Pseudo.Region,
                                    ["awslogs-stream-prefix"] = "app",
                                },
                            },
                        },
                    },
                });
            }
        }

        for (var i = 0; template.Resources.Count < 500; i++)
        {
            template.AddResource($"Alarm{i}", "AWS::CloudWatch::Alarm", new CfnObject
            {
                ["AlarmDescription"] = $"Errors in service {i}",
                ["MetricName"] = "Errors",
                ["Namespace"] = "OTT",
                ["Statistic"] = "Sum",
                ["Period"] = 60,
                ["EvaluationPeriods"] = 5,
                ["Threshold"] = 0.5,
                ["ComparisonOperator"] = "GreaterThanThreshold",
            });
        }

        template.AddOutput("VpcId", vpc.Ref(), "The VPC", Fn.Sub("${AWS::StackName}-VpcId"));
        return template;
    }
}
