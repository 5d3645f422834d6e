namespace Workmates.OttKit.Blueprint;

/// <summary>
/// Administrator access (the <c>admin-access</c> stack): an OpenVPN host with an Elastic IP in a public subnet. Only
/// its VPN port is open, and only to <see cref="AllowedCidrs"/>; SSH listens on <see cref="SshPort"/> for VPN
/// clients only. Session Manager works on every host without any open port. Leaving the section out creates no VPN.
/// </summary>
public sealed record AdminAccessSpec
{
    /// <summary>Source ranges allowed to reach the VPN port (offices, home connections); required.</summary>
    /// <value>Default: none. <c>0.0.0.0/0</c> is a weakening (EC2.18).</value>
    public IReadOnlyList<string> AllowedCidrs { get; init; } = [];

    /// <summary>UDP port OpenVPN listens on; a non-default port keeps scanners' noise out of the logs.</summary>
    /// <value>Default: 11940.</value>
    public int VpnPort { get; init; } = SpecDefaults.VpnPort;

    /// <summary>TCP port sshd listens on, reachable from the VPN client range only (never 22).</summary>
    /// <value>Default: 2222.</value>
    public int SshPort { get; init; } = SpecDefaults.VpnSshPort;

    /// <summary>Addresses handed to VPN clients; private, /16../28, outside the VPC.</summary>
    /// <value>Default: <c>172.31.240.0/24</c>.</value>
    public string ClientCidr { get; init; } = SpecDefaults.VpnClientCidr;

    /// <summary>EC2 instance type of the VPN host (a known type; it selects the AMI's architecture).</summary>
    /// <value>Default: <c>t3.medium</c>.</value>
    public string InstanceType { get; init; } = SpecDefaults.VpnInstanceType;
}
