using System.Globalization;
using System.Text;
using Workmates.OttKit.Blueprint;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The admin-access stack: an OpenVPN host (Ubuntu 24.04 LTS, whose archive carries OpenVPN and easy-rsa) in the
/// first public subnet with an Elastic IP. Its security group opens only the VPN's UDP port, only to
/// <c>adminAccess.allowedCidrs</c>, and SSH on <c>adminAccess.sshPort</c> only to the VPN client range; sshd also
/// refuses every other source. The PKI (CA, server certificate, tls-crypt key) is created on first boot and kept in a
/// KMS-encrypted secret, so a replaced host serves the same CA. Session Manager works on it like on every host.
/// </summary>
internal static class AdminAccessBuilder
{
    /// <summary>The admin-access stack.</summary>
    /// <param name="naming">The environment's naming.</param>
    /// <param name="scope">The admin-access stack.</param>
    /// <param name="admin">Its props.</param>
    /// <param name="security">The data key (the PKI secret, the launch template's volumes).</param>
    /// <param name="network">The VPC and the first public subnet.</param>
    /// <param name="cluster">The ECS hosts' security group (SSH from the VPN host).</param>
    /// <param name="database">The replica set's security group (SSH from the VPN host), when there is a database.</param>
    /// <param name="sessions">Session Manager logging, when people's access is on: the VPN host's role may write transcripts.</param>
    /// <returns>The VPN host's handles.</returns>
    public static AdminAccess Build(PlatformNaming naming, StackScope scope, AdminAccessProps admin, SecurityBaseline security, Network network, Cluster cluster, Database? database, SessionLogging? sessions)
    {
        _ = InstanceTypes.TryGet(admin.InstanceType, out var type);
        _ = Ipv4Cidr.TryParse(admin.ClientCidr, out var clients, out _);
        _ = Ipv4Cidr.TryParse(admin.VpcCidr, out var vpc, out _);
        var arm = type is { Architecture: CpuArchitecture.Arm64 };
        var t = scope.Template;
        t.Description = $"OttKit {naming.Env}: administrator VPN (OpenVPN host with an Elastic IP)";
        var ami = t.Add(new Parameter("VpnAmiId", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
        {
            Default = $"/aws/service/canonical/ubuntu/server/24.04/stable/current/{(arm ? "arm64" : "amd64")}/hvm/ebs-gp3/ami-id",
            Description = "Ubuntu 24.04 LTS AMI of the VPN host, resolved from Canonical's public SSM parameter",
        });
        var dataKey = security.DataKey.Arn.In(scope);

        var ingress = new CfnList();
        foreach (var cidr in admin.AllowedCidrs)
        {
            ingress.Add(new CfnObject { ["IpProtocol"] = "udp", ["FromPort"] = admin.VpnPort, ["ToPort"] = admin.VpnPort, ["CidrIp"] = cidr, ["Description"] = "OpenVPN from an allowed range" });
        }

        ingress.Add(new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = admin.SshPort, ["ToPort"] = admin.SshPort, ["CidrIp"] = clients.ToString(), ["Description"] = "SSH from VPN clients only" });
        var group = t.AddResource("VpnSecurityGroup", "AWS::EC2::SecurityGroup", new CfnObject
        {
            ["GroupDescription"] = $"{naming.Env}: OpenVPN host (VPN port from allowed ranges, SSH from VPN clients)",
            ["VpcId"] = network.VpcId.In(scope),
            ["SecurityGroupIngress"] = ingress,
            ["SecurityGroupEgress"] = new CfnList
            {
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "HTTPS to AWS APIs and package mirrors" },
                new CfnObject { ["IpProtocol"] = "tcp", ["FromPort"] = 80, ["ToPort"] = 80, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "Ubuntu archive (signed packages over HTTP)" },
                new CfnObject { ["IpProtocol"] = "-1", ["CidrIp"] = vpc.ToString(), ["Description"] = "VPN clients to hosts in the VPC" },
            },
            ["Tags"] = naming.Tags("vpn"),
        });

        // Admin access leads somewhere: the VPN host (which NATs its clients to its own address) reaches the ECS hosts
        // and the MongoDB members on the SSH port, and sshd there listens on that port (an SSM association, so running
        // hosts change without a restart and new ones follow).
        t.AddResource("HostSshFromVpn", "AWS::EC2::SecurityGroupIngress", new CfnObject
        {
            ["GroupId"] = cluster.HostSecurityGroupId.In(scope),
            ["IpProtocol"] = "tcp",
            ["FromPort"] = admin.SshPort,
            ["ToPort"] = admin.SshPort,
            ["SourceSecurityGroupId"] = group.GetAtt("GroupId"),
            ["Description"] = "Admin SSH from the VPN host",
        });
        var patchGroups = new CfnList { naming.EcsPatchGroup };
        if (database is not null)
        {
            t.AddResource("DatabaseSshFromVpn", "AWS::EC2::SecurityGroupIngress", new CfnObject
            {
                ["GroupId"] = database.SecurityGroupId.In(scope),
                ["IpProtocol"] = "tcp",
                ["FromPort"] = admin.SshPort,
                ["ToPort"] = admin.SshPort,
                ["SourceSecurityGroupId"] = group.GetAtt("GroupId"),
                ["Description"] = "Admin SSH from the VPN host",
            });
            patchGroups.Add(naming.MongoPatchGroup);
        }

        var sshPort = admin.SshPort.ToString(CultureInfo.InvariantCulture);
        t.AddResource("AdminSshPort", "AWS::SSM::Association", new CfnObject
        {
            ["AssociationName"] = $"{naming.Env}-admin-ssh-port",
            ["Name"] = "AWS-RunShellScript",
            ["Targets"] = new CfnList { new CfnObject { ["Key"] = $"tag:{PlatformNaming.PatchGroupTag}", ["Values"] = patchGroups } },
            ["Parameters"] = new CfnObject
            {
                ["commands"] = new CfnList
                {
                    "set -eu",
                    "mkdir -p /etc/ssh/sshd_config.d",
                    $"printf 'Port {sshPort}\\nPasswordAuthentication no\\nPermitRootLogin no\\n' > /etc/ssh/sshd_config.d/10-ottkit-admin.conf",
                    "sshd -t && systemctl reload sshd",
                },
            },
            ["ApplyOnlyAtCronInterval"] = false,
        });

        var pki = t.AddResource("VpnPkiSecret", "AWS::SecretsManager::Secret", new CfnObject
        {
            ["Name"] = $"{naming.Env}/vpn/pki",
            ["Description"] = $"{naming.Env}: OpenVPN PKI (CA, server certificate and key, tls-crypt key), written by the VPN host on first boot",
            ["KmsKeyId"] = dataKey,
            ["SecretString"] = "{}",
            ["Tags"] = naming.Tags("vpn-pki"),
        });
        pki.DeletionPolicy = DeletionPolicy.Retain;
        pki.UpdateReplacePolicy = UpdateReplacePolicy.Retain;

        var policy = new PolicyDocument
        {
            new PolicyStatement { Sid = "KeepOwnPki", Actions = { "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue" }, Resources = { pki.Ref() } },
            security.DataKey.GrantThrough(scope, "secretsmanager", "kms:Decrypt", "kms:GenerateDataKey"),
        };
        var role = HostParts.InstanceRole(t, naming, "VpnRole", "vpn", $"{naming.Env} VPN host: SSM core and its own PKI secret", policy, scope, sessions);
        var profile = t.AddResource("VpnInstanceProfile", "AWS::IAM::InstanceProfile", new CfnObject { ["Roles"] = new CfnList { role.Ref() } });
        var launchTemplate = HostParts.LaunchTemplate(t, naming, "VpnLaunchTemplate", "vpn", dataKey, 16);

        var tags = naming.Tags("vpn");
        tags["ottkit:role"] = "vpn";
        var instance = t.AddResource("VpnInstance", "AWS::EC2::Instance", new CfnObject
        {
            ["LaunchTemplate"] = HostParts.Use(launchTemplate),
            ["ImageId"] = ami.Ref(),
            ["InstanceType"] = admin.InstanceType,
            // Its public address is the Elastic IP below, associated after launch: none is auto-assigned.
            ["NetworkInterfaces"] = HostParts.PrivateInterface(Fn.Select(0, Fn.Split(",", network.PublicSubnetIds.In(scope))), group.GetAtt("GroupId")),
            ["Monitoring"] = true,
            ["IamInstanceProfile"] = profile.Ref(),
            // It forwards VPN clients' packets (NATed to its own address), so the source/destination check stays on.
            ["UserData"] = Fn.Base64(Fn.Sub(UserData(naming, admin, clients, vpc), new CfnObject { ["PkiSecret"] = pki.Ref() })),
            ["Tags"] = tags,
        });
        var address = t.AddResource("VpnAddress", "AWS::EC2::EIP", new CfnObject { ["Domain"] = "vpc", ["Tags"] = naming.Tags("vpn") });
        t.AddResource("VpnAddressAssociation", "AWS::EC2::EIPAssociation", new CfnObject
        {
            ["AllocationId"] = address.GetAtt("AllocationId"),
            ["InstanceId"] = instance.Ref(),
        });

        scope.Export("VpnPublicIp", address.GetAtt("PublicIp"), "Elastic IP of the OpenVPN host");
        var vpnGroup = scope.Export("VpnSecurityGroupId", group.GetAtt("GroupId"), "Security group of the OpenVPN host");
        scope.Export("VpnInstanceId", instance.Ref(), "Instance id of the OpenVPN host");
        scope.Export("VpnPkiSecretArn", pki.Ref(), "Secret holding the OpenVPN PKI");
        // Architecture fact: the VPN host, in the first AZ's public subnet.
        scope.Graph.Architecture.Hosts.Add(new(scope.Name, "vpn", HostRole.Vpn, SubnetTier.Public, 0, admin.InstanceType));

        return new AdminAccess(scope, vpnGroup);
    }

    private static string UserData(PlatformNaming naming, AdminAccessProps admin, Ipv4Cidr clients, Ipv4Cidr vpc)
    {
        var port = admin.VpnPort.ToString(CultureInfo.InvariantCulture);
        var ssh = admin.SshPort.ToString(CultureInfo.InvariantCulture);
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine("set -euo pipefail");
        s.AppendLine("exec >> /var/log/ottkit-vpn-init.log 2>&1");
        s.AppendLine("export DEBIAN_FRONTEND=noninteractive");
        s.AppendLine("REGION='${AWS::Region}'");
        s.AppendLine("SECRET='${PkiSecret}'");
        // The Elastic IP is associated after launch; until then the host has no way out of the public subnet.
        s.AppendLine("for attempt in $(seq 1 60); do");
        s.AppendLine("  TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')");
        s.AppendLine("  curl -sSf -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/public-ipv4 && break");
        s.AppendLine("  sleep 5");
        s.AppendLine("done");
        s.AppendLine("apt-get update");
        s.AppendLine("apt-get install -y openvpn easy-rsa jq unattended-upgrades iptables-persistent");
        s.AppendLine("snap install aws-cli --classic || true");
        s.AppendLine("AWS=/snap/bin/aws");
        s.AppendLine();
        s.AppendLine("# The PKI lives in Secrets Manager: restore it, or create it once and store it");
        s.AppendLine("umask 077");
        s.AppendLine("mkdir -p /etc/openvpn/server /etc/openvpn/easy-rsa");
        s.AppendLine("PKI=$($AWS secretsmanager get-secret-value --region \"$REGION\" --secret-id \"$SECRET\" --query SecretString --output text)");
        s.AppendLine("if [ \"$(echo \"$PKI\" | jq -r '.ca // empty')\" = '' ]; then");
        s.AppendLine("  cp -r /usr/share/easy-rsa/* /etc/openvpn/easy-rsa/");
        s.AppendLine("  cd /etc/openvpn/easy-rsa");
        s.AppendLine("  ./easyrsa --batch init-pki");
        s.AppendLine(CultureInfo.InvariantCulture, $"  EASYRSA_REQ_CN='{naming.Env}-vpn-ca' ./easyrsa --batch build-ca nopass");
        s.AppendLine("  ./easyrsa --batch build-server-full server nopass");
        s.AppendLine("  openvpn --genkey secret /etc/openvpn/server/tls-crypt.key");
        s.AppendLine("  jq -n --rawfile ca pki/ca.crt --rawfile cakey pki/private/ca.key --rawfile cert pki/issued/server.crt --rawfile key pki/private/server.key --rawfile tc /etc/openvpn/server/tls-crypt.key \\");
        s.AppendLine("    '{ca: $ca, caKey: $cakey, serverCert: $cert, serverKey: $key, tlsCrypt: $tc}' > /root/pki.json");
        s.AppendLine("  $AWS secretsmanager put-secret-value --region \"$REGION\" --secret-id \"$SECRET\" --secret-string file:///root/pki.json");
        s.AppendLine("  rm -f /root/pki.json");
        s.AppendLine("  PKI=$($AWS secretsmanager get-secret-value --region \"$REGION\" --secret-id \"$SECRET\" --query SecretString --output text)");
        s.AppendLine("fi");
        s.AppendLine("echo \"$PKI\" | jq -r .ca > /etc/openvpn/server/ca.crt");
        s.AppendLine("echo \"$PKI\" | jq -r .serverCert > /etc/openvpn/server/server.crt");
        s.AppendLine("echo \"$PKI\" | jq -r .serverKey > /etc/openvpn/server/server.key");
        s.AppendLine("echo \"$PKI\" | jq -r .tlsCrypt > /etc/openvpn/server/tls-crypt.key");
        s.AppendLine("umask 022");
        s.AppendLine("cat > /etc/openvpn/server/server.conf <<EOF");
        s.AppendLine(CultureInfo.InvariantCulture, $"port {port}");
        s.AppendLine("proto udp");
        s.AppendLine("dev tun");
        s.AppendLine("topology subnet");
        s.AppendLine(CultureInfo.InvariantCulture, $"server {Address(clients.Network)} {Mask(clients.Prefix)}");
        s.AppendLine(CultureInfo.InvariantCulture, $"push \"route {Address(vpc.Network)} {Mask(vpc.Prefix)}\"");
        s.AppendLine("ca /etc/openvpn/server/ca.crt");
        s.AppendLine("cert /etc/openvpn/server/server.crt");
        s.AppendLine("key /etc/openvpn/server/server.key");
        s.AppendLine("dh none");
        s.AppendLine("tls-crypt /etc/openvpn/server/tls-crypt.key");
        s.AppendLine("tls-version-min 1.2");
        s.AppendLine("data-ciphers AES-256-GCM:CHACHA20-POLY1305");
        s.AppendLine("auth SHA256");
        s.AppendLine("verify-client-cert require");
        s.AppendLine("keepalive 10 60");
        s.AppendLine("user nobody");
        s.AppendLine("group nogroup");
        s.AppendLine("persist-key");
        s.AppendLine("persist-tun");
        s.AppendLine("verb 3");
        s.AppendLine("EOF");
        s.AppendLine("echo 'net.ipv4.ip_forward=1' > /etc/sysctl.d/99-ottkit-vpn.conf && sysctl --system");
        s.AppendLine("IFACE=$(ip route show default | awk '{print $5; exit}')");
        s.AppendLine(CultureInfo.InvariantCulture, $"iptables -t nat -C POSTROUTING -s {clients} -d {vpc} -o \"$IFACE\" -j MASQUERADE 2>/dev/null || iptables -t nat -A POSTROUTING -s {clients} -d {vpc} -o \"$IFACE\" -j MASQUERADE");
        s.AppendLine("netfilter-persistent save");
        s.AppendLine("systemctl enable --now openvpn-server@server");
        s.AppendLine();
        s.AppendLine("# SSH on its own port, for VPN clients only (the security group says the same)");
        s.AppendLine("cat > /etc/ssh/sshd_config.d/10-ottkit.conf <<EOF");
        s.AppendLine(CultureInfo.InvariantCulture, $"Port {ssh}");
        s.AppendLine("PasswordAuthentication no");
        s.AppendLine("PermitRootLogin no");
        s.AppendLine(CultureInfo.InvariantCulture, $"AllowUsers *@{clients}");
        s.AppendLine("EOF");
        s.AppendLine("mkdir -p /etc/systemd/system/ssh.socket.d");
        s.AppendLine(CultureInfo.InvariantCulture, $"printf '[Socket]\\nListenStream=\\nListenStream={ssh}\\n' > /etc/systemd/system/ssh.socket.d/10-ottkit.conf");
        s.AppendLine("systemctl daemon-reload && systemctl restart ssh.socket ssh || systemctl restart ssh");
        s.AppendLine();
        s.AppendLine("# Client profiles: ottkit-vpn-client NAME (run through Session Manager) prints an .ovpn signed by the CA in the secret");
        s.AppendLine("cat > /usr/local/sbin/ottkit-vpn-client <<'EOF'");
        s.AppendLine("#!/bin/bash");
        s.AppendLine("set -euo pipefail");
        s.AppendLine("NAME=$1");
        s.AppendLine("WORK=$(mktemp -d) && trap 'rm -rf \"$WORK\"' EXIT && cd \"$WORK\" && umask 077");
        s.AppendLine("PKI=$(/snap/bin/aws secretsmanager get-secret-value --region \"$(cat /etc/ottkit-vpn-region)\" --secret-id \"$(cat /etc/ottkit-vpn-secret)\" --query SecretString --output text)");
        s.AppendLine("echo \"$PKI\" | jq -r .ca > ca.crt && echo \"$PKI\" | jq -r .caKey > ca.key");
        s.AppendLine("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -subj \"/CN=$NAME\" -out client.csr 2>/dev/null");
        s.AppendLine("printf 'extendedKeyUsage=clientAuth\\nkeyUsage=digitalSignature\\n' > ext.cnf");
        s.AppendLine("openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 397 -extfile ext.cnf -out client.crt 2>/dev/null");
        s.AppendLine("TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')");
        s.AppendLine("PUBLIC=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/public-ipv4)");
        s.AppendLine(CultureInfo.InvariantCulture, $"printf 'client\\ndev tun\\nproto udp\\nremote %s {port}\\nnobind\\nremote-cert-tls server\\nauth SHA256\\ndata-ciphers AES-256-GCM:CHACHA20-POLY1305\\n' \"$PUBLIC\"");
        s.AppendLine("printf '<ca>\\n%s\\n</ca>\\n<cert>\\n%s\\n</cert>\\n<key>\\n%s\\n</key>\\n<tls-crypt>\\n%s\\n</tls-crypt>\\n' \"$(cat ca.crt)\" \"$(cat client.crt)\" \"$(cat client.key)\" \"$(echo \"$PKI\" | jq -r .tlsCrypt)\"");
        s.AppendLine("EOF");
        s.AppendLine("chmod 700 /usr/local/sbin/ottkit-vpn-client");
        s.AppendLine("echo \"$REGION\" > /etc/ottkit-vpn-region && echo \"$SECRET\" > /etc/ottkit-vpn-secret");
        s.AppendLine();
        s.AppendLine("# Security updates every day (Patch Manager's scan reports them too)");
        s.AppendLine("printf 'APT::Periodic::Update-Package-Lists \"1\";\\nAPT::Periodic::Unattended-Upgrade \"1\";\\n' > /etc/apt/apt.conf.d/20auto-upgrades");
        return s.ToString().ReplaceLineEndings("\n");
    }

    private static string Address(uint network) =>
        string.Create(CultureInfo.InvariantCulture, $"{network >> 24}.{(network >> 16) & 255}.{(network >> 8) & 255}.{network & 255}");

    private static string Mask(int prefix) => Address(prefix == 0 ? 0 : uint.MaxValue << (32 - prefix));
}

/// <summary>The admin access construct's props (<c>adminAccess.*</c> and the VPC's CIDR; see <see cref="ConstructProps.AdminAccess"/>).</summary>
/// <param name="AllowedCidrs">Ranges that may reach the VPN port.</param>
/// <param name="VpnPort">OpenVPN's UDP port.</param>
/// <param name="SshPort">The SSH port of the VPN host, the ECS hosts and the MongoDB members.</param>
/// <param name="ClientCidr">The VPN clients' address range (validated).</param>
/// <param name="InstanceType">The VPN host's instance type.</param>
/// <param name="VpcCidr">The VPC's CIDR (validated), routed to the clients.</param>
internal sealed record AdminAccessProps(
    IReadOnlyList<string> AllowedCidrs,
    int VpnPort,
    int SshPort,
    string ClientCidr,
    string InstanceType,
    string VpcCidr);
