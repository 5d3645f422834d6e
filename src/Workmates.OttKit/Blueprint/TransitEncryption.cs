namespace Workmates.OttKit.Blueprint;

/// <summary>
/// The instance families whose traffic to other instances the Nitro system encrypts automatically (EC2 User Guide,
/// "Encryption in transit"; the same list AWS Control Tower's CT.EC2.PR.19 and CT.AUTOSCALING.PR.11 check). A test
/// compares this list with the rule file shipped in <c>@cdklabs/cdk-validator-cfnguard</c> for every type the
/// instance-type table knows.
/// </summary>
internal static class TransitEncryption
{
    private static readonly HashSet<string> Families = new(StringComparer.Ordinal)
    {
        "c5a", "c5ad", "c5n", "c6a", "c6gn", "c6i", "c6id", "c6in", "c7a", "c7g", "c7gd", "c7gn", "c7i",
        "d3", "d3en", "dl1", "dl2q", "g4ad", "g4dn", "g5", "hpc6a", "hpc6id", "hpc7a", "hpc7g",
        "i3en", "i4g", "i4i", "im4gn", "inf1", "inf2", "is4gen",
        "m5dn", "m5n", "m5zn", "m6a", "m6i", "m6id", "m6idn", "m6in", "m7a", "m7g", "m7gd", "m7i", "m7i-flex",
        "p3dn", "p4d", "p4de", "p5",
        "r5dn", "r5n", "r6a", "r6i", "r6id", "r6idn", "r6in", "r7a", "r7g", "r7gd", "r7i", "r7iz",
        "trn1", "trn1n", "u-12tb1", "u-18tb1", "u-24tb1", "u-3tb1", "u-6tb1", "u-9tb1", "vt1",
        "x2idn", "x2iedn", "x2iezn",
    };

    /// <summary>Whether <paramref name="instanceType"/> (for example <c>m6i.large</c>) encrypts traffic between instances.</summary>
    public static bool Supports(string instanceType)
    {
        var dot = instanceType.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Families.Contains(instanceType[..dot]);
    }

    /// <summary>The fix a validation error offers for <paramref name="instanceType"/>: an encrypting type of the same architecture.</summary>
    public static string Fix(string instanceType, string weakening = "weakenings.allowInstancesWithoutTransitEncryption") =>
        InstanceTypes.TryGet(instanceType, out var info) && info.Architecture == CpuArchitecture.Arm64
            ? $"Use a Graviton type that encrypts in transit (m7g, c7g, r7g, for example m7g.medium or m7g.large), or set {weakening}: true."
            : $"Use a type that encrypts in transit (m6i, m6a, m7i, c6i, r6i, for example m6a.large), or set {weakening}: true.";
}
