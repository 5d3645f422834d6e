using Workmates.OttKit.Blueprint;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The composition root: the one place that reads the validated <see cref="EnvironmentSpec"/> as a whole, declares the
/// stacks in deployment-friendly order and hands each construct the typed handles of the constructs it uses. Every
/// cross-stack reference is made through those handles, so the graph's exports, imports and deploy order are
/// recorded as the constructs are built (no template is re-scanned).
/// </summary>
internal static class PlatformGraph
{
    /// <summary>Builds the graph of a spec that is already valid (<see cref="EnvironmentSpec.EnsureValid"/>).</summary>
    /// <param name="spec">The validated environment.</param>
    /// <returns>The stacks with their templates and recorded links.</returns>
    public static StackGraph Compose(EnvironmentSpec spec)
    {
        var naming = new PlatformNaming(spec.Name, spec.Tags);
        var graph = new StackGraph(spec.Name, spec.Region);

        // First: it imports nothing and holds the artifacts bucket every other deploy stores its template in.
        var bootstrap = BootstrapBuilder.Build(naming, graph.AddStack(PlatformNaming.BootstrapPart), ConstructProps.Bootstrap(spec));
        var security = SecurityBuilder.Build(naming, graph.AddStack(PlatformNaming.SecurityPart), ConstructProps.Security(spec));
        var network = NetworkBuilder.Build(naming, graph.AddStack(PlatformNaming.NetworkPart), ConstructProps.Network(spec), security);
        // With people's access on, every host's role may carry logged Session Manager sessions.
        var sessionLogging = spec.Access is null ? null : SessionLogging.Of(naming, security);
        var cluster = ClusterBuilder.Build(naming, graph.AddStack(PlatformNaming.ClusterPart), ConstructProps.Cluster(spec), security, network, sessionLogging);
        var repositories = RepositoryBuilder.Build(naming, graph.AddStack(PlatformNaming.RepositoriesPart), ConstructProps.Repositories(spec));
        var loadBalancer = LoadBalancerBuilder.Build(naming, graph.AddStack(PlatformNaming.LoadBalancerPart), ConstructProps.LoadBalancer(spec), security, network);
        var backups = BackupBuilder.Build(naming, graph.AddStack(PlatformNaming.BackupsPart), ConstructProps.Backups(spec), security);
        PatchingBuilder.Build(naming, graph.AddStack(PlatformNaming.PatchingPart), ConstructProps.Patching(spec));

        Database? database = null;
        if (spec.Database is not null)
        {
            database = DatabaseBuilder.Build(naming, graph.AddStack(PlatformNaming.DatabasePart), ConstructProps.Database(spec), security, network, sessionLogging);
            DatabaseBackupBuilder.Build(naming, graph.AddStack(PlatformNaming.DatabaseBackupPart), ConstructProps.DatabaseBackup(spec), security, network, cluster, repositories, backups, database);
        }

        if (spec.Access is not null)
        {
            PeopleAccessBuilder.Build(naming, graph.AddStack(PlatformNaming.AccessPart), ConstructProps.PeopleAccess(spec), security);
        }

        if (spec.AdminAccess is not null)
        {
            AdminAccessBuilder.Build(naming, graph.AddStack(PlatformNaming.AdminAccessPart), ConstructProps.AdminAccess(spec), security, network, cluster, database, sessionLogging);
        }

        var services = new List<Service>(spec.Services.Count);
        for (var i = 0; i < spec.Services.Count; i++)
        {
            var scope = graph.AddStack(PlatformNaming.ServicePart(spec.Services[i].Name));
            services.Add(ServiceBuilder.Build(naming, scope, ConstructProps.Service(spec, i), security, network, cluster, repositories, loadBalancer, database));
        }

        if (spec.Media is not null)
        {
            // CloudFront reads web ACLs only from us-east-1; the ARN reaches the media stack as a deploy-time parameter.
            var media = ConstructProps.Media(spec);
            var edge = MediaDeliveryBuilder.BuildEdgeWebAcl(naming, graph.AddStack(PlatformNaming.EdgeWafPart, PlatformNaming.EdgeRegion), media);
            MediaDeliveryBuilder.Build(naming, graph.AddStack(PlatformNaming.MediaPart), media, security, edge);
        }

        Monitoring? monitoring = null;
        if (spec.Monitoring is not null)
        {
            // It watches the cluster, the load balancer, every service and (when present) the database members.
            monitoring = MonitoringBuilder.Build(naming, graph.AddStack(PlatformNaming.MonitoringPart), ConstructProps.Monitoring(spec), security, cluster, loadBalancer, services, database);
        }

        foreach (var stack in graph.Stacks)
        {
            naming.PlaceRolesUnderEnvironmentPath(stack.Template);
            BucketParts.EnableObjectLock(stack.Template);
        }

        if (spec.Ci is not null)
        {
            // After every other stack: its roles touch exactly those stacks, and its CloudFormation service role may
            // create exactly the resource types they contain.
            var others = graph.Stacks.Select(s => (s.Name, s.Region, s.Template)).ToList();
            CiRoleBuilder.Build(naming, graph.AddStack(PlatformNaming.CiPart), ConstructProps.CiRoles(spec), bootstrap, others);
        }

        if (monitoring is not null)
        {
            // Built before the ci stack (whose roles touch it), listed last: declaration order breaks deploy-order ties.
            graph.MoveToEnd(monitoring.Stack);
        }

        return graph;
    }
}
