using System.Globalization;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The database stack: a MongoDB replica set of EC2 members, one per availability zone in the isolated data subnets.
/// Each member has an IMDSv2-only instance without a public IP, an instance profile with only SSM core plus reads of
/// its own secrets, a separate encrypted gp3 data volume (the data key; snapshot on delete or replacement) and a
/// stable name <c>mongo-N.&lt;env&gt;.internal</c> in a private hosted zone, so a replaced member keeps its identity.
/// The security group admits 27017 from the members only; client stacks (services, the backup task) add their own
/// ingress rules to it, so they deploy after this stack and take their rule with them when deleted.
/// </summary>
internal static class DatabaseBuilder
{
    /// <summary>The private zone of the environment's internal names.</summary>
    public static string ZoneName(PlatformNaming naming) => $"{naming.Env}.internal";

    /// <summary>The stable DNS name of member <paramref name="n"/> (1-based).</summary>
    public static string MemberName(PlatformNaming naming, int n) => $"mongo-{n.ToString(CultureInfo.InvariantCulture)}.{ZoneName(naming)}";

    /// <summary>
    /// The connection string without credentials: every member, the replica set, the admin auth source and, unless
    /// <c>weakenings.disableDatabaseTls</c>, <c>tls=true</c> (the CA comes separately: the <c>TlsCaSecretArn</c> output).
    /// </summary>
    public static string ConnectionString(PlatformNaming naming, DatabaseProps database)
    {
        var hosts = string.Join(',', Enumerable.Range(1, database.Members).Select(n => $"{MemberName(naming, n)}:{SpecDefaults.MongoPort.ToString(CultureInfo.InvariantCulture)}"));
        var tls = database.Tls ? "&tls=true" : string.Empty;
        return $"mongodb://{hosts}/{database.DatabaseName}?replicaSet={database.ReplicaSetName}&authSource=admin{tls}";
    }

    /// <summary>The JSON key of the user secrets (<c>{username,password,ca}</c>) that carries the CA certificate PEM.</summary>
    public const string CaSecretKey = "ca";

    /// <summary>WiredTiger's own rule, made explicit: half of (memory − 1 GiB), at least 0.25 GiB.</summary>
    public static double CacheSizeGiB(InstanceTypeInfo type) => Math.Max(0.25, Math.Round(((type.MemoryMiB / 1024.0) - 1) / 2, 2));

    public static Database Build(PlatformNaming naming, StackScope scope, DatabaseProps database, SecurityBaseline security, Network network, SessionLogging? sessions)
    {
        if (!InstanceTypes.TryGet(database.InstanceType, out var type))
        {
            throw new InvalidOperationException($"database.instanceType '{database.InstanceType}' is unknown (validation should have refused the spec).");
        }

        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: MongoDB {database.Version} replica set '{database.ReplicaSetName}' ({database.Members.ToString(CultureInfo.InvariantCulture)} members)";
        var arm = type.Architecture == CpuArchitecture.Arm64;
        var ami = t.Add(new Parameter("MongoAmiId", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
        {
            Default = arm
                ? "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
                : "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            Description = "Amazon Linux 2023 AMI of the members. A new value replaces the members (their data volumes stay): pin it to an AMI's SSM parameter version for production",
        });
        var dataKey = security.DataKey.Arn.In(scope);
        var vpcId = network.VpcId.In(scope);

        var zone = t.AddResource("HostedZone", "AWS::Route53::HostedZone", new CfnObject
        {
            ["Name"] = ZoneName(naming),
            ["HostedZoneConfig"] = new CfnObject { ["Comment"] = $"{naming.Env}: stable names of the MongoDB members" },
            ["VPCs"] = new CfnList { new CfnObject { ["VPCId"] = vpcId, ["VPCRegion"] = Pseudo.Region } },
            ["HostedZoneTags"] = naming.Tags("internal"),
        });

        var group = t.AddResource("MongoSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{naming.Env}: MongoDB members (27017 from members, services and the backup task only)",
            ["VpcId"] = vpcId,
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "HTTPS to AWS APIs and the MongoDB and Amazon Linux repositories" },
            },
            ["Tags"] = naming.Tags("mongodb"),
        });
        t.AddResource("MongoIngressFromMembers", "AWS::EC2::SecurityGroupIngress", new CfnObject
        {
            ["GroupId"] = group.GetAtt("GroupId"),
            ["IpProtocol"] = "tcp",
            ["FromPort"] = SpecDefaults.MongoPort,
            ["ToPort"] = SpecDefaults.MongoPort,
            ["SourceSecurityGroupId"] = group.GetAtt("GroupId"),
            ["Description"] = "Replication between members",
        });
        t.AddResource("MongoEgressToMembers", "AWS::EC2::SecurityGroupEgress", new CfnObject
        {
            ["GroupId"] = group.GetAtt("GroupId"),
            ["IpProtocol"] = "tcp",
            ["FromPort"] = SpecDefaults.MongoPort,
            ["ToPort"] = SpecDefaults.MongoPort,
            ["DestinationSecurityGroupId"] = group.GetAtt("GroupId"),
            ["Description"] = "Replication between members",
        });

        var keyFile = Secret(t, naming, "KeyFileSecret", "keyfile", "the replica set's internal authentication key file", new CfnObject
        {
            // 756 base64-alphabet characters: the longest key file MongoDB's docs generate (openssl rand -base64 756 is similar).
            ["PasswordLength"] = 756,
            ["ExcludePunctuation"] = true,
        }, dataKey);
        var admin = UserSecret(t, naming, "AdminSecret", "admin", "the root user", dataKey);
        var app = UserSecret(t, naming, "AppSecret", "app", $"the application user (readWrite on {database.DatabaseName})", dataKey);
        var backup = UserSecret(t, naming, "BackupSecret", "backup", "the backup user (backup role)", dataKey);

        var tls = database.Tls ? TlsSecrets.Create(t, naming, database.Members, dataKey) : null;

        // The members' CloudWatch agents ship mongod's and the bootstrap's logs here, encrypted with the logs key.
        var logGroup = t.AddResource("MongoLogGroup", "AWS::Logs::LogGroup", new CfnObject
        {
            ["LogGroupName"] = $"/ottkit/{naming.Env}/mongodb",
            ["RetentionInDays"] = SpecDefaults.LogRetentionDays,
            ["KmsKeyId"] = security.LogsKey.Arn.In(scope),
            ["Tags"] = naming.Tags("mongodb"),
        });
        logGroup.DeletionPolicy = DeletionPolicy.Retain;
        logGroup.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        var launchTemplate = HostParts.LaunchTemplate(t, naming, "MongoLaunchTemplate", "mongodb", dataKey, 20);
        var subnets = Fn.Split(",", network.IsolatedSubnetIds.In(scope));
        var exportedMembers = new List<DatabaseMember>();
        for (var i = 0; i < database.Members; i++)
        {
            var n = i + 1;
            var id = $"Member{n.ToString(CultureInfo.InvariantCulture)}";
            var secrets = n == 1 ? new List<Intrinsic> { keyFile.Ref(), admin.Ref(), app.Ref(), backup.Ref() } : [keyFile.Ref()];
            if (tls is not null)
            {
                // Every member reads the CA certificate and its own key and certificate; member 1 also the CA key.
                secrets.Add(tls.CaCertificate.Ref());
                secrets.Add(tls.Members[i].Ref());
                if (n == 1)
                {
                    secrets.Add(tls.CaKey.Ref());
                }
            }

            var policy = new PolicyDocument();
            foreach (var statement in HostParts.ReadSecrets(scope, security.DataKey, [.. secrets]))
            {
                policy.Add(statement);
            }

            if (tls is not null && n == 1)
            {
                // Member 1 issues the CA and every member's certificate once, at bootstrap (see docs/mongo-tls.md).
                var issue = new PolicyStatement { Sid = "IssueTlsCertificates", Actions = { "secretsmanager:PutSecretValue" } };
                issue.Resources.Add(tls.CaKey.Ref());
                issue.Resources.Add(tls.CaCertificate.Ref());
                foreach (var member in tls.Members)
                {
                    issue.Resources.Add(member.Ref());
                }

                // ...and adds the CA certificate to the user secrets, so every client gets it with its credentials.
                issue.Resources.Add(admin.Ref());
                issue.Resources.Add(app.Ref());
                issue.Resources.Add(backup.Ref());

                policy.Add(issue);
                var encrypt = security.DataKey.GrantThrough(scope, "secretsmanager", "kms:GenerateDataKey");
                encrypt.Sid = "EncryptThroughSecretsmanager";
                policy.Add(encrypt);
            }

            // The CloudWatch agent (CloudWatchAgentServerPolicy, narrowed): its own log group's streams, its own metric namespace.
            policy.Add(new PolicyStatement
            {
                Sid = "AgentShipsLogsToOwnGroup",
                Actions = { "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams" },
                Resources = { logGroup.GetAtt("Arn") },
            });
            policy.Add(new PolicyStatement
            {
                Sid = "AgentPublishesHostMetrics",
                Actions = { "cloudwatch:PutMetricData" },
                Resources = { "*" },
                Conditions = new CfnObject { ["StringEquals"] = new CfnObject { ["cloudwatch:namespace"] = MongoUserData.HostMetricsNamespace } },
            });

            var role = HostParts.InstanceRole(t, naming, $"{id}Role", $"mongo-{n}", $"{naming.Env} mongo-{n}: SSM core, reads of its own secrets, its CloudWatch agent", policy, scope, sessions);
            var profile = t.AddResource($"{id}InstanceProfile", "AWS::IAM::InstanceProfile", new CfnObject { ["Roles"] = new CfnList { role.Ref() } });

            var volume = t.AddResource($"{id}DataVolume", "AWS::EC2::Volume", new CfnObject
            {
                ["AvailabilityZone"] = Fn.Select(i, Fn.GetAZs()),
                ["Size"] = database.VolumeGiB,
                ["VolumeType"] = "gp3",
                ["Iops"] = database.VolumeIops,
                ["Throughput"] = database.VolumeThroughput,
                ["Encrypted"] = true,
                ["KmsKeyId"] = dataKey,
                ["Tags"] = VolumeTags(naming, n),
            });
            volume.DeletionPolicy = DeletionPolicy.Snapshot;
            volume.UpdateReplacePolicy = UpdateReplacePolicy.Snapshot;

            var tags = naming.Tags($"mongo-{n}");
            tags[PlatformNaming.PatchGroupTag] = naming.MongoPatchGroup;
            tags["ottkit:role"] = "mongodb";
            var instance = t.AddResource(id, "AWS::EC2::Instance", new CfnObject
            {
                ["LaunchTemplate"] = HostParts.Use(launchTemplate),
                ["ImageId"] = ami.Ref(),
                ["InstanceType"] = database.InstanceType,
                ["NetworkInterfaces"] = HostParts.PrivateInterface(Fn.Select(i, subnets), group.GetAtt("GroupId")),
                ["Monitoring"] = true,
                ["IamInstanceProfile"] = profile.Ref(),
                ["UserData"] = Fn.Base64(MongoUserData.Script(naming, database, n, type, volume, keyFile, admin, app, backup, logGroup, tls)),
                ["Tags"] = tags,
            });

            t.AddResource($"{id}DataVolumeAttachment", "AWS::EC2::VolumeAttachment", new CfnObject
            {
                ["InstanceId"] = instance.Ref(),
                ["VolumeId"] = volume.Ref(),
                ["Device"] = MongoUserData.DataDevice,
            });

            t.AddResource($"{id}DnsRecord", "AWS::Route53::RecordSet", new CfnObject
            {
                ["HostedZoneId"] = zone.Ref(),
                ["Name"] = MemberName(naming, n),
                ["Type"] = "A",
                ["TTL"] = "60",
                ["ResourceRecords"] = new CfnList { instance.GetAtt("PrivateIp") },
            });

            exportedMembers.Add(new DatabaseMember(
                n,
                scope.Export($"{id}InstanceId", instance.Ref(), $"Instance id of mongo-{n}"),
                scope.Export($"{id}DataVolumeId", volume.Ref(), $"Data volume id of mongo-{n}")));
        }

        var securityGroupId = scope.Export("SecurityGroupId", group.GetAtt("GroupId"), "Security group of the members; clients add an ingress rule for 27017 from their own group");
        var connectionString = scope.Export("ConnectionString", ConnectionString(naming, database), "Connection string without credentials (take the user and password from a secret)");
        var adminSecretArn = scope.Export("AdminSecretArn", admin.Ref(), "Secret of the root user (JSON: username, password)");
        var appSecretArn = scope.Export("AppSecretArn", app.Ref(), "Secret of the application user (JSON: username, password)");
        var backupSecretArn = scope.Export("BackupSecretArn", backup.Ref(), "Secret of the backup user (JSON: username, password)");
        var hostedZoneId = scope.Export("HostedZoneId", zone.Ref(), "Private hosted zone of the internal names");
        var tlsCaSecretArn = tls is null
            ? null
            : scope.Export("TlsCaSecretArn", tls.CaCertificate.Ref(), "Secret holding the PEM certificate of the replica set's private CA (clients verify the members with it)");
        // Architecture facts: one member per AZ, in the isolated (data) subnet of its zone, with its data volume.
        for (var i = 0; i < database.Members; i++)
        {
            scope.Graph.Architecture.Hosts.Add(new(scope.Name, $"mongo-{i + 1}", HostRole.MongoMember, SubnetTier.Data, i, database.InstanceType, database.VolumeGiB, "gp3"));
        }

        return new Database(scope, exportedMembers, securityGroupId, connectionString, adminSecretArn, appSecretArn, backupSecretArn, hostedZoneId, tlsCaSecretArn);
    }

    private static Tags VolumeTags(PlatformNaming naming, int n)
    {
        var tags = naming.Tags($"mongo-{n}-data");
        tags[PlatformNaming.BackupTag] = naming.BackupTagValue;
        return tags;
    }

    private static Resource UserSecret(Template t, PlatformNaming naming, string id, string user, string purpose, Intrinsic dataKey) =>
        Secret(t, naming, id, user, purpose, new CfnObject
        {
            ["SecretStringTemplate"] = $"{{\"username\":\"{user}\"}}",
            ["GenerateStringKey"] = "password",
            ["PasswordLength"] = 32,
            // Letters and digits only: the password goes into connection strings without escaping.
            ["ExcludePunctuation"] = true,
        }, dataKey);

    internal static Resource Secret(Template t, PlatformNaming naming, string id, string name, string purpose, CfnObject generate, Intrinsic dataKey)
    {
        var secret = t.AddResource(id, "AWS::SecretsManager::Secret", new CfnObject
        {
            ["Name"] = $"{naming.Env}/mongodb/{name}",
            ["Description"] = $"{naming.Env}: MongoDB {purpose}",
            ["KmsKeyId"] = dataKey,
            ["GenerateSecretString"] = generate,
            ["Tags"] = naming.Tags($"mongodb-{name}"),
        });

        // The users live in the data volumes, which outlive the stack as snapshots: keep their passwords too.
        secret.DeletionPolicy = DeletionPolicy.Retain;
        secret.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
        return secret;
    }

    /// <summary>
    /// The TLS secrets of the replica set, all under the data key: the private CA's key (member 1 only), the CA
    /// certificate (members and clients) and one key-and-certificate PEM per member. They are created holding the
    /// placeholder <c>pending</c>; member 1 issues the real values at bootstrap with openssl.
    /// </summary>
    internal sealed record TlsSecrets(Resource CaKey, Resource CaCertificate, IReadOnlyList<Resource> Members)
    {
        /// <summary>The value a TLS secret holds until member 1 has issued the certificates.</summary>
        public const string Pending = "pending";

        public static TlsSecrets Create(Template t, PlatformNaming naming, int members, Intrinsic dataKey)
        {
            var caKey = Placeholder(t, naming, "TlsCaKeySecret", "tls-ca-key", "TLS: the private key of the replica set's own CA (member 1 only)", dataKey);
            var ca = Placeholder(t, naming, "TlsCaSecret", "tls-ca", "TLS: the PEM certificate of the replica set's own CA (members and clients)", dataKey);
            var list = new List<Resource>();
            for (var n = 1; n <= members; n++)
            {
                var number = n.ToString(CultureInfo.InvariantCulture);
                list.Add(Placeholder(t, naming, $"Member{number}TlsSecret", $"tls-mongo-{number}", $"TLS: the key and certificate of mongo-{number}", dataKey));
            }

            return new TlsSecrets(caKey, ca, list);
        }

        private static Resource Placeholder(Template t, PlatformNaming naming, string id, string name, string purpose, Intrinsic dataKey)
        {
            var secret = t.AddResource(id, "AWS::SecretsManager::Secret", new CfnObject
            {
                ["Name"] = $"{naming.Env}/mongodb/{name}",
                ["Description"] = $"{naming.Env}: MongoDB {purpose}",
                ["KmsKeyId"] = dataKey,
                ["SecretString"] = Pending,
                ["Tags"] = naming.Tags($"mongodb-{name}"),
            });

            // The certificates outlive a stack replacement with the members' data; never regenerate them by accident.
            secret.DeletionPolicy = DeletionPolicy.Retain;
            secret.UpdateReplacePolicy = UpdateReplacePolicy.Retain;
            return secret;
        }
    }
}

/// <summary>The database construct's props (<c>database.*</c> with its defaults and <c>weakenings.disableDatabaseTls</c>;
/// see <see cref="ConstructProps.Database"/>).</summary>
/// <param name="Version">MongoDB major version (<c>7.0</c>).</param>
/// <param name="Members">Replica-set members, one per availability zone.</param>
/// <param name="VotingMembers">Members that vote; the first ones (all when <see langword="null"/>).</param>
/// <param name="InstanceType">EC2 instance type of the members.</param>
/// <param name="VolumeGiB">Size of each member's gp3 data volume.</param>
/// <param name="VolumeIops">Provisioned IOPS of each data volume.</param>
/// <param name="VolumeThroughput">Provisioned throughput (MiB/s) of each data volume.</param>
/// <param name="ReplicaSetName">The replica set's name.</param>
/// <param name="DatabaseName">The application database (the environment's name unless set).</param>
/// <param name="Tls">Whether the members require TLS (the secure default).</param>
internal sealed record DatabaseProps(
    string Version,
    int Members,
    int? VotingMembers,
    string InstanceType,
    int VolumeGiB,
    int VolumeIops,
    int VolumeThroughput,
    string ReplicaSetName,
    string DatabaseName,
    bool Tls);
