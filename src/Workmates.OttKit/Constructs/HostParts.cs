using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>Pieces every stand-alone EC2 host of the blueprint shares: IMDSv2-only launch templates, SSM-managed roles, secret reads.</summary>
internal static partial class HostParts
{
    /// <summary>
    /// A launch template that requires IMDSv2 (hop limit 1), encrypts the gp3 root volume with <paramref name="volumeKey"/>,
    /// turns on detailed monitoring and tags instances and volumes. Instances reference it, since AWS::EC2::Instance
    /// itself cannot set metadata options.
    /// </summary>
    public static Resource LaunchTemplate(Template t, PlatformNaming naming, string id, string name, CfnNode volumeKey, int rootGiB)
    {
        return t.AddResource(id, "AWS::EC2::LaunchTemplate", new CfnObject
        {
            ["LaunchTemplateName"] = $"{naming.Env}-{name}",
            ["LaunchTemplateData"] = new CfnObject
            {
                ["MetadataOptions"] = ImdsV2Only(),
                ["BlockDeviceMappings"] = RootVolume(rootGiB, volumeKey),
                ["Monitoring"] = new CfnObject { ["Enabled"] = true },
            },
            ["TagSpecifications"] = new CfnList { new CfnObject { ["ResourceType"] = "launch-template", ["Tags"] = naming.Tags(name) } },
        });
    }

    /// <summary>Instance metadata through IMDSv2 only, one hop: a container in bridge mode cannot reach the host's credentials.</summary>
    public static CfnObject ImdsV2Only() => new()
    {
        ["HttpEndpoint"] = "enabled",
        ["HttpTokens"] = "required",
        ["HttpPutResponseHopLimit"] = 1,
    };

    /// <summary>The encrypted gp3 root volume, deleted with the instance.</summary>
    /// <param name="sizeGiB">Its size.</param>
    /// <param name="key">The customer-managed key, or <see langword="null"/> for the account's default EBS key.</param>
    public static CfnList RootVolume(int sizeGiB, CfnNode? key)
    {
        var ebs = new CfnObject { ["VolumeSize"] = sizeGiB, ["VolumeType"] = "gp3", ["Encrypted"] = true };
        if (key is not null)
        {
            ebs["KmsKeyId"] = key;
        }

        ebs["DeleteOnTermination"] = true;
        return [new CfnObject { ["DeviceName"] = "/dev/xvda", ["Ebs"] = ebs }];
    }

    /// <summary>The launch-template reference of an instance (always its latest version).</summary>
    public static CfnObject Use(Resource launchTemplate) => new()
    {
        ["LaunchTemplateId"] = launchTemplate.Ref(),
        ["Version"] = launchTemplate.GetAtt("LatestVersionNumber"),
    };

    /// <summary>
    /// An instance's network: its primary interface in <paramref name="subnet"/> with <paramref name="group"/> and no
    /// auto-assigned public address (Control Tower CT.EC2.PR.8; a public address, if any, is an Elastic IP).
    /// </summary>
    public static CfnList PrivateInterface(CfnNode subnet, CfnNode group) =>
    [
        new CfnObject
        {
            ["DeviceIndex"] = "0",
            ["SubnetId"] = subnet,
            ["GroupSet"] = new CfnList { group },
            ["AssociatePublicIpAddress"] = false,
            ["DeleteOnTermination"] = true,
        },
    ];

    /// <summary>An EC2 role with only the SSM core managed policy (Session Manager, Run Command, Patch Manager) plus
    /// <paramref name="statements"/> and, when people's access is on, what carrying logged sessions takes.</summary>
    /// <param name="t">The template of <paramref name="scope"/>.</param>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="id">The role's logical ID.</param>
    /// <param name="name">The role's name tag and inline policy name.</param>
    /// <param name="description">The role's description.</param>
    /// <param name="statements">The host's own statements, if any.</param>
    /// <param name="scope">The host's stack.</param>
    /// <param name="sessions">The environment's session logging, or <see langword="null"/> without people's access.</param>
    /// <returns>The role.</returns>
    public static Resource InstanceRole(Template t, PlatformNaming naming, string id, string name, string description, PolicyDocument? statements, StackScope scope, SessionLogging? sessions)
    {
        var properties = new CfnObject
        {
            ["Description"] = description,
            ["AssumeRolePolicyDocument"] = PlatformNaming.AssumeRole("ec2.amazonaws.com"),
            ["ManagedPolicyArns"] = new CfnList { Fn.Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore") },
            ["Tags"] = naming.Tags(name),
        };
        // With people's access on, every host carries Session Manager sessions through the logged preferences document.
        foreach (var statement in sessions?.GrantWriteTranscripts(scope) ?? [])
        {
            statements ??= new PolicyDocument();
            statements.Add(statement);
        }

        if (statements is not null)
        {
            properties["Policies"] = new CfnList { new CfnObject { ["PolicyName"] = name, ["PolicyDocument"] = statements.ToNode() } };
        }

        return t.AddResource(id, "AWS::IAM::Role", properties);
    }

    /// <summary>Reads of the given Secrets Manager secrets, and decrypting them with <paramref name="dataKey"/>
    /// through Secrets Manager only (<see cref="KmsKey.GrantThrough"/>).</summary>
    /// <param name="consumer">The stack of the role that is granted.</param>
    /// <param name="dataKey">The key the secrets are encrypted with.</param>
    /// <param name="secrets">The secrets' ARNs.</param>
    /// <returns>The statements to add to the role's policy.</returns>
    public static IEnumerable<PolicyStatement> ReadSecrets(StackScope consumer, KmsKey dataKey, params Intrinsic[] secrets) =>
        [ReadOwnSecrets(secrets), dataKey.GrantThrough(consumer, "secretsmanager", "kms:Decrypt")];

    private static PolicyStatement ReadOwnSecrets(Intrinsic[] secrets)
    {
        var read = new PolicyStatement { Sid = "ReadOwnSecrets", Actions = { "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret" } };
        foreach (var secret in secrets)
        {
            read.Resources.Add(secret);
        }

        return read;
    }

    /// <summary>KMS actions on <paramref name="key"/>, only when a given AWS service calls on the role's behalf.</summary>
    public static PolicyStatement DecryptVia(Intrinsic key, string service, params string[] actions)
    {
        var statement = new PolicyStatement
        {
            Sid = $"UseKeyThrough{PlatformNaming.Pascal(service)}",
            Resources = { key },
            Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["kms:ViaService"] = Fn.Sub($"{service}.${{AWS::Region}}.amazonaws.com") } },
        };
        foreach (var action in actions)
        {
            statement.Actions.Add(action);
        }

        return statement;
    }
}
