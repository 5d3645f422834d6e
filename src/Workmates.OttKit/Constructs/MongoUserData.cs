using System.Globalization;
using System.Text;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The cloud-init script of a MongoDB member. It is idempotent, so a replaced member (new instance, same data volume
/// and name) rejoins as itself: install MongoDB from the official repository, mount the data volume (formatting it
/// as XFS only when it is blank), fetch the key file from Secrets Manager, write <c>mongod.conf</c>, start mongod;
/// member 1 then initiates the replica set with every member's DNS name and creates the admin, application and
/// backup users from their secrets, each step skipped when already done. With TLS (the default) member 1 first
/// issues the environment's private CA and every member's certificate with openssl (once: the CA key secret holding a
/// PEM marks it done), every member waits for its own certificate, and mongod runs with <c>net.tls.mode:
/// requireTLS</c>; members authenticate to each other with the key file over that TLS channel. Bash variables are
/// written <c>$NAME</c> (never with braces) because <c>Fn::Sub</c> owns <c>${…}</c>. The CloudWatch agent ships mongod's
/// and the bootstrap's logs to the database stack's KMS-encrypted log group and publishes the data volume's used percent.
/// </summary>
internal static class MongoUserData
{
    /// <summary>Where the data volume is mounted (mongod's <c>dbPath</c>).</summary>
    public const string DataPath = "/var/lib/mongo";

    /// <summary>The data volume's file system (formatted by the script).</summary>
    public const string DataFileSystem = "xfs";

    /// <summary>The namespace the CloudWatch agent on the members publishes host metrics to (the instance role may publish there only).</summary>
    public const string HostMetricsNamespace = "OttKit/MongoDBHost";

    /// <summary>The agent's metric for the used share of a file system, in percent.</summary>
    public const string DiskUsedPercentMetric = "disk_used_percent";

    /// <summary>The dimensions the agent gives <see cref="DiskUsedPercentMetric"/> (the device is dropped, so a replaced NVMe name changes nothing).</summary>
    public static readonly string[] DiskDimensions = ["InstanceId", "fstype", "path"];

    /// <summary>The device name the data volume is attached as; Nitro instances expose it as an NVMe device found by volume id.</summary>
    public const string DataDevice = "/dev/sdf";

    /// <summary>Where a member keeps the CA certificate and its own key and certificate.</summary>
    public const string TlsDirectory = "/etc/mongod-tls";

    /// <summary>Validity of the CA (10 years) and of member certificates (825 days, the longest most TLS clients accept).</summary>
    public const int CaValidityDays = 3650;

    /// <summary>Validity of a member certificate, in days.</summary>
    public const int MemberValidityDays = 825;

    public static Intrinsic Script(PlatformNaming naming, DatabaseProps database, int n, InstanceTypeInfo type, Resource volume, Resource keyFile, Resource admin, Resource app, Resource backup, Resource logGroup, DatabaseBuilder.TlsSecrets? tls = null)
    {
        var arch = type.Architecture == CpuArchitecture.Arm64 ? "aarch64" : "x86_64";
        var cache = DatabaseBuilder.CacheSizeGiB(type).ToString("0.##", CultureInfo.InvariantCulture);
        var name = DatabaseBuilder.MemberName(naming, n);
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine("set -euo pipefail");
        s.AppendLine("exec >> /var/log/ottkit-mongodb-init.log 2>&1");
        s.AppendLine("REGION='${AWS::Region}'");
        s.AppendLine(CultureInfo.InvariantCulture, $"hostnamectl set-hostname {name}");
        s.AppendLine();
        s.AppendLine("# MongoDB from the official repository");
        s.AppendLine("cat > /etc/yum.repos.d/mongodb-org.repo <<'EOF'");
        s.AppendLine(CultureInfo.InvariantCulture, $"[mongodb-org-{database.Version}]");
        s.AppendLine("name=MongoDB Repository");
        s.AppendLine(CultureInfo.InvariantCulture, $"baseurl=https://repo.mongodb.org/yum/amazon/2023/mongodb-org/{database.Version}/{arch}/");
        s.AppendLine("gpgcheck=1");
        s.AppendLine("enabled=1");
        s.AppendLine(CultureInfo.InvariantCulture, $"gpgkey=https://pgp.mongodb.com/server-{database.Version}.asc");
        s.AppendLine("EOF");
        s.AppendLine("dnf install -y mongodb-mongosh-shared-openssl3 mongodb-org xfsprogs jq amazon-cloudwatch-agent");
        s.AppendLine();
        s.AppendLine("# The data volume: XFS, formatted only when blank, so a replacement instance keeps the data");
        s.AppendLine("VOLUME='${VolumeId}'");
        s.AppendLine("DEVICE=/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$(echo \"$VOLUME\" | tr -d -)");
        s.AppendLine("for attempt in $(seq 1 120); do [ -e \"$DEVICE\" ] && break; sleep 5; done");
        s.AppendLine("if ! blkid \"$DEVICE\"; then mkfs.xfs -L mongodata \"$DEVICE\"; fi");
        s.AppendLine("mkdir -p /var/lib/mongo");
        s.AppendLine("grep -q 'LABEL=mongodata' /etc/fstab || echo 'LABEL=mongodata /var/lib/mongo xfs defaults,noatime,nofail 0 2' >> /etc/fstab");
        s.AppendLine("mount -a");
        s.AppendLine("chown -R mongod:mongod /var/lib/mongo");
        s.AppendLine();
        s.AppendLine("# Internal authentication key file from Secrets Manager");
        s.AppendLine("umask 077");
        s.AppendLine("aws secretsmanager get-secret-value --region \"$REGION\" --secret-id '${KeyFileSecret}' --query SecretString --output text > /etc/mongod.key");
        s.AppendLine("chown mongod:mongod /etc/mongod.key && chmod 400 /etc/mongod.key");
        s.AppendLine("umask 022");
        if (tls is not null)
        {
            AppendTls(s, naming, n, tls);
        }

        s.AppendLine("TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')");
        s.AppendLine("ADDRESS=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/local-ipv4)");
        s.AppendLine("cat > /etc/mongod.conf <<EOF");
        s.AppendLine("storage:");
        s.AppendLine("  dbPath: /var/lib/mongo");
        s.AppendLine("  wiredTiger:");
        s.AppendLine("    engineConfig:");
        s.AppendLine(CultureInfo.InvariantCulture, $"      cacheSizeGB: {cache}");
        s.AppendLine("systemLog:");
        s.AppendLine("  destination: file");
        s.AppendLine("  path: /var/log/mongodb/mongod.log");
        s.AppendLine("  logAppend: true");
        s.AppendLine("  logRotate: reopen");
        s.AppendLine("net:");
        s.AppendLine(CultureInfo.InvariantCulture, $"  port: {SpecDefaults.MongoPort.ToString(CultureInfo.InvariantCulture)}");
        s.AppendLine("  bindIp: localhost,$ADDRESS");
        if (tls is not null)
        {
            s.AppendLine("  tls:");
            s.AppendLine("    mode: requireTLS");
            s.AppendLine(CultureInfo.InvariantCulture, $"    certificateKeyFile: {TlsDirectory}/member.pem");
            s.AppendLine(CultureInfo.InvariantCulture, $"    CAFile: {TlsDirectory}/ca.pem");
            s.AppendLine("    allowConnectionsWithoutCertificates: true");
            s.AppendLine("    disabledProtocols: TLS1_0,TLS1_1");
        }

        s.AppendLine("replication:");
        s.AppendLine(CultureInfo.InvariantCulture, $"  replSetName: {database.ReplicaSetName}");
        s.AppendLine("security:");
        s.AppendLine("  keyFile: /etc/mongod.key");
        s.AppendLine("  authorization: enabled");
        s.AppendLine("processManagement:");
        s.AppendLine("  timeZoneInfo: /usr/share/zoneinfo");
        s.AppendLine("EOF");
        s.AppendLine("systemctl enable mongod");
        s.AppendLine("systemctl restart mongod");
        AppendCloudWatchAgent(s);
        if (n == 1)
        {
            AppendInitiation(s, naming, database, tls is not null);
        }

        var variables = new CfnObject { ["VolumeId"] = volume.Ref(), ["KeyFileSecret"] = keyFile.Ref(), ["LogGroup"] = logGroup.Ref() };
        if (tls is not null)
        {
            variables["TlsCaSecret"] = tls.CaCertificate.Ref();
            variables["TlsMemberSecret"] = tls.Members[n - 1].Ref();
            if (n == 1)
            {
                variables["TlsCaKeySecret"] = tls.CaKey.Ref();
                for (var i = 1; i <= tls.Members.Count; i++)
                {
                    variables[$"TlsMember{i.ToString(CultureInfo.InvariantCulture)}Secret"] = tls.Members[i - 1].Ref();
                }
            }
        }

        if (n == 1)
        {
            variables["AdminSecret"] = admin.Ref();
            variables["AppSecret"] = app.Ref();
            variables["BackupSecret"] = backup.Ref();
        }

        return Fn.Sub(s.ToString().ReplaceLineEndings("\n"), variables);
    }

    /// <summary>The mongosh command line of the bootstrap: over TLS with the CA when the members require it.</summary>
    public static string Shell(bool tls) => tls ? $"mongosh --quiet --tls --tlsCAFile {TlsDirectory}/ca.pem" : "mongosh --quiet";

    private static void AppendTls(StringBuilder s, PlatformNaming naming, int n, DatabaseBuilder.TlsSecrets tls)
    {
        s.AppendLine();
        s.AppendLine("# TLS: the environment's private CA and the member certificates, kept in Secrets Manager under the data key");
        s.AppendLine("getsecret() { aws secretsmanager get-secret-value --region \"$REGION\" --secret-id \"$1\" --query SecretString --output text; }");
        s.AppendLine("putsecret() { aws secretsmanager put-secret-value --region \"$REGION\" --secret-id \"$1\" --secret-string \"file://$2\" > /dev/null; }");
        if (n == 1)
        {
            // Issued once: the CA key secret is written last, so a PEM there means every certificate was stored.
            var org = $"/O=OttKit/OU={naming.Env}";
            s.AppendLine("if ! getsecret '${TlsCaKeySecret}' | grep -q 'BEGIN'; then");
            s.AppendLine("  ISSUE=$(mktemp -d) && chmod 700 \"$ISSUE\" && cd \"$ISSUE\"");
            s.AppendLine(CultureInfo.InvariantCulture, $"  openssl req -x509 -newkey rsa:4096 -nodes -days {CaValidityDays} -subj '{org}/CN={naming.Env} MongoDB CA' -keyout ca.key -out ca.crt -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'");
            for (var i = 1; i <= tls.Members.Count; i++)
            {
                var number = i.ToString(CultureInfo.InvariantCulture);
                var host = DatabaseBuilder.MemberName(naming, i);
                s.AppendLine(CultureInfo.InvariantCulture, $"  printf 'subjectAltName=DNS:{host},DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth,clientAuth\\nkeyUsage=critical,digitalSignature,keyEncipherment\\n' > member{number}.ext");
                s.AppendLine(CultureInfo.InvariantCulture, $"  openssl req -newkey rsa:2048 -nodes -subj '{org}/CN={host}' -keyout member{number}.key -out member{number}.csr");
                s.AppendLine(CultureInfo.InvariantCulture, $"  openssl x509 -req -in member{number}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days {MemberValidityDays} -sha256 -extfile member{number}.ext -out member{number}.crt");
                s.AppendLine(CultureInfo.InvariantCulture, $"  cat member{number}.key member{number}.crt > member{number}.pem && putsecret '${{TlsMember{number}Secret}}' member{number}.pem");
            }

            s.AppendLine("  putsecret '${TlsCaSecret}' ca.crt");
            s.AppendLine("  # Clients get the CA with their credentials: the user secrets become {username,password,ca}");
            s.AppendLine("  for USER_SECRET in '${AdminSecret}' '${AppSecret}' '${BackupSecret}'; do");
            s.AppendLine(CultureInfo.InvariantCulture, $"    getsecret \"$USER_SECRET\" | jq --rawfile ca ca.crt '.{DatabaseBuilder.CaSecretKey} = $ca' > user.json && putsecret \"$USER_SECRET\" user.json");
            s.AppendLine("  done");
            s.AppendLine("  cat ca.key ca.crt > ca.pem && putsecret '${TlsCaKeySecret}' ca.pem");
            s.AppendLine("  cd / && rm -rf \"$ISSUE\"");
            s.AppendLine("fi");
        }

        s.AppendLine("# Wait for member 1 to issue the certificates (the CA certificate is stored after every member's)");
        s.AppendLine("for attempt in $(seq 1 180); do getsecret '${TlsCaSecret}' | grep -q 'BEGIN' && break; sleep 10; done");
        s.AppendLine(CultureInfo.InvariantCulture, $"mkdir -p {TlsDirectory} && chmod 700 {TlsDirectory}");
        s.AppendLine("umask 077");
        s.AppendLine(CultureInfo.InvariantCulture, $"getsecret '${{TlsCaSecret}}' > {TlsDirectory}/ca.pem");
        s.AppendLine(CultureInfo.InvariantCulture, $"getsecret '${{TlsMemberSecret}}' > {TlsDirectory}/member.pem");
        s.AppendLine(CultureInfo.InvariantCulture, $"chown -R mongod:mongod {TlsDirectory} && chmod 400 {TlsDirectory}/member.pem && chmod 444 {TlsDirectory}/ca.pem");
        s.AppendLine("umask 022");
    }

    private static void AppendInitiation(StringBuilder s, PlatformNaming naming, DatabaseProps database, bool tls)
    {
        var shell = Shell(tls);
        var voting = database.VotingMembers ?? database.Members;
        var port = SpecDefaults.MongoPort.ToString(CultureInfo.InvariantCulture);
        var members = new StringBuilder();
        for (var i = 0; i < database.Members; i++)
        {
            var votes = i < voting;
            members.Append(i == 0 ? string.Empty : ", ")
                .Append(CultureInfo.InvariantCulture, $"{{ _id: {i}, host: '{DatabaseBuilder.MemberName(naming, i + 1)}:{port}'")
                .Append(votes ? (i == 0 ? ", priority: 2" : string.Empty) : ", priority: 0, votes: 0")
                .Append(" }");
        }

        s.AppendLine();
        s.AppendLine("# Member 1: initiate the replica set once every member answers, then create the users (each step once)");
        for (var i = 1; i <= database.Members; i++)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"until {shell} --host {DatabaseBuilder.MemberName(naming, i)} --port {port} --eval 'db.adminCommand({{ ping: 1 }}).ok' | grep -q 1; do sleep 10; done");
        }

        s.AppendLine("cat > /root/ottkit-initiate.js <<'EOF'");
        s.AppendLine("let initiated = false;");
        s.AppendLine("try { initiated = rs.status().ok === 1; } catch (e) { initiated = e.codeName === 'Unauthorized'; }");
        s.AppendLine(CultureInfo.InvariantCulture, $"if (!initiated) {{ rs.initiate({{ _id: '{database.ReplicaSetName}', members: [{members}] }}); }}");
        s.AppendLine("EOF");
        s.AppendLine(CultureInfo.InvariantCulture, $"{shell} --file /root/ottkit-initiate.js");
        s.AppendLine(CultureInfo.InvariantCulture, $"until {shell} --eval 'db.hello().isWritablePrimary' | grep -q true; do sleep 5; done");
        s.AppendLine("secret() { aws secretsmanager get-secret-value --region \"$REGION\" --secret-id \"$1\" --query SecretString --output text | jq -r \".$2\"; }");
        s.AppendLine("export ADMIN_USER=$(secret '${AdminSecret}' username) ADMIN_PASSWORD=$(secret '${AdminSecret}' password)");
        s.AppendLine("export APP_USER=$(secret '${AppSecret}' username) APP_PASSWORD=$(secret '${AppSecret}' password)");
        s.AppendLine("export BACKUP_USER=$(secret '${BackupSecret}' username) BACKUP_PASSWORD=$(secret '${BackupSecret}' password)");
        s.AppendLine("cat > /root/ottkit-users.js <<'EOF'");
        s.AppendLine("const env = process.env;");
        s.AppendLine("const adminDb = db.getSiblingDB('admin');");
        s.AppendLine("// The localhost exception allows creating the first user only; afterwards authenticate as it.");
        s.AppendLine("try { adminDb.createUser({ user: env.ADMIN_USER, pwd: env.ADMIN_PASSWORD, roles: [{ role: 'root', db: 'admin' }] }); } catch (e) { if (e.codeName !== 'Unauthorized' && e.code !== 51003) { throw e; } }");
        s.AppendLine("adminDb.auth(env.ADMIN_USER, env.ADMIN_PASSWORD);");
        s.AppendLine("if (!adminDb.getUser(env.APP_USER)) {");
        s.AppendLine(CultureInfo.InvariantCulture, $"  adminDb.createUser({{ user: env.APP_USER, pwd: env.APP_PASSWORD, roles: [{{ role: 'readWrite', db: '{database.DatabaseName}' }}] }});");
        s.AppendLine("}");
        s.AppendLine("if (!adminDb.getUser(env.BACKUP_USER)) {");
        s.AppendLine("  adminDb.createUser({ user: env.BACKUP_USER, pwd: env.BACKUP_PASSWORD, roles: [{ role: 'backup', db: 'admin' }, { role: 'clusterMonitor', db: 'admin' }] });");
        s.AppendLine("}");
        s.AppendLine("EOF");
        s.AppendLine(CultureInfo.InvariantCulture, $"{shell} --file /root/ottkit-users.js");
        s.AppendLine("unset ADMIN_PASSWORD APP_PASSWORD BACKUP_PASSWORD");
    }

    // The CloudWatch agent: mongod's log, the bootstrap log and cloud-init's output to the environment's KMS-encrypted
    // log group (one stream per instance and file), and the data volume's used percent with the instance id. The
    // agent's own "${aws:InstanceId}" placeholder is written as $DOLLAR{…} because Fn::Sub owns ${…}.
    private static void AppendCloudWatchAgent(StringBuilder s)
    {
        s.AppendLine();
        s.AppendLine("# CloudWatch agent: logs to the environment's log group, the data volume's used percent");
        s.AppendLine("DOLLAR='$'");
        s.AppendLine("mkdir -p /opt/aws/amazon-cloudwatch-agent/etc");
        s.AppendLine("cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<EOF");
        s.AppendLine("{");
        s.AppendLine("  \"agent\": { \"metrics_collection_interval\": 60, \"omit_hostname\": true },");
        s.AppendLine("  \"metrics\": {");
        s.AppendLine(CultureInfo.InvariantCulture, $"    \"namespace\": \"{HostMetricsNamespace}\",");
        s.AppendLine("    \"append_dimensions\": { \"InstanceId\": \"$DOLLAR{aws:InstanceId}\" },");
        s.AppendLine(CultureInfo.InvariantCulture, $"    \"metrics_collected\": {{ \"disk\": {{ \"measurement\": [\"used_percent\"], \"resources\": [\"{DataPath}\"], \"drop_device\": true }} }}");
        s.AppendLine("  },");
        s.AppendLine("  \"logs\": { \"logs_collected\": { \"files\": { \"collect_list\": [");
        s.AppendLine("    { \"file_path\": \"/var/log/mongodb/mongod.log\", \"log_group_name\": \"${LogGroup}\", \"log_stream_name\": \"{instance_id}/mongod\" },");
        s.AppendLine("    { \"file_path\": \"/var/log/ottkit-mongodb-init.log\", \"log_group_name\": \"${LogGroup}\", \"log_stream_name\": \"{instance_id}/init\" },");
        s.AppendLine("    { \"file_path\": \"/var/log/cloud-init-output.log\", \"log_group_name\": \"${LogGroup}\", \"log_stream_name\": \"{instance_id}/cloud-init\" }");
        s.AppendLine("  ] } } }");
        s.AppendLine("}");
        s.AppendLine("EOF");
        s.AppendLine("/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json");
    }
}
