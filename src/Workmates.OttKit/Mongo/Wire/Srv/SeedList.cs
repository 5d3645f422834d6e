namespace Workmates.OttKit.Mongo.Wire.Srv;

/// <summary>
/// The Initial DNS Seedlist Discovery rules: which names to look up for a <c>mongodb+srv</c> URI, and how SRV and TXT
/// answers become the seed list and extra options. Pure; the lookup itself belongs to the wire client.
/// </summary>
internal static class SeedList
{
    private static readonly string[] s_txtOptions = ["authSource", "replicaSet", "loadBalanced"];

    /// <summary>The SRV name to query: <c>_{srvServiceName}._tcp.{host}</c>.</summary>
    public static string SrvQueryName(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        RequireSrv(connectionString);
        return $"_{connectionString.SrvServiceName}._tcp.{connectionString.Hosts[0].Host}";
    }

    /// <summary>The TXT name to query: the host itself.</summary>
    public static string TxtQueryName(MongoConnectionString connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        RequireSrv(connectionString);
        return connectionString.Hosts[0].Host;
    }

    /// <summary>
    /// Validates the answers and returns the connection string with the discovered hosts and TXT options (options in
    /// the URI win). Hosts must lie under the SRV name's parent domain; at most one TXT record, holding only
    /// <c>authSource</c>, <c>replicaSet</c> or <c>loadBalanced</c>; <c>srvMaxHosts</c> keeps a random subset.
    /// </summary>
    public static MongoConnectionString Resolve(MongoConnectionString connectionString, IReadOnlyList<SrvRecord> srv, IReadOnlyList<string> txt, Random random)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(srv);
        ArgumentNullException.ThrowIfNull(txt);
        ArgumentNullException.ThrowIfNull(random);
        RequireSrv(connectionString);
        var srvHost = connectionString.Hosts[0].Host;
        if (srv.Count == 0)
        {
            throw new MongoConfigurationException("hosts", $"The SRV lookup for '{SrvQueryName(connectionString)}' returned no records. Check the cluster name, or list the hosts with mongodb://.");
        }

        var hosts = new List<MongoServerAddress>();
        foreach (var record in srv)
        {
            var target = record.Target.TrimEnd('.').ToLowerInvariant();
            if (!SharesParentDomain(srvHost, target))
            {
                throw new MongoConfigurationException("hosts", $"The SRV record target '{target}' is not under the domain of '{srvHost}'; refusing it.");
            }

            hosts.Add(new MongoServerAddress(target, record.Port, MongoHostKind.HostName));
        }

        hosts = hosts.DistinctBy(h => h.ToString()).ToList();
        if (connectionString.SrvMaxHosts > 0 && hosts.Count > connectionString.SrvMaxHosts)
        {
            hosts = hosts.OrderBy(_ => random.Next()).Take(connectionString.SrvMaxHosts).ToList();
        }

        if (txt.Count > 1)
        {
            throw new MongoConfigurationException("hosts", $"'{srvHost}' has {txt.Count} TXT records; at most one is allowed.");
        }

        var txtOptions = new List<KeyValuePair<string, string>>();
        if (txt.Count == 1 && txt[0].Length > 0)
        {
            foreach (var pair in txt[0].Split('&'))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? pair : pair[..equals];
                if (equals <= 0 || !s_txtOptions.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new MongoConfigurationException(key, $"The TXT record of '{srvHost}' sets '{key}', but only authSource, replicaSet and loadBalanced may come from DNS.");
                }

                txtOptions.Add(new(key, pair[(equals + 1)..]));
            }
        }

        return connectionString.WithResolvedSeedList(hosts, txtOptions);
    }

    /// <summary>
    /// A target shares the SRV name's parent domain: for names of three or more labels, the target ends with
    /// '.' + the name without its first label; for shorter names, the target ends with '.' + the whole name.
    /// </summary>
    internal static bool SharesParentDomain(string srvHost, string target)
    {
        var labels = srvHost.Split('.');
        var suffix = labels.Length >= 3 ? "." + string.Join('.', labels[1..]) : "." + srvHost;
        return target.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && target.Length > suffix.Length;
    }

    private static void RequireSrv(MongoConnectionString connectionString)
    {
        if (!connectionString.IsSrv)
        {
            throw new ArgumentException("The connection string does not use mongodb+srv://.", nameof(connectionString));
        }
    }
}
