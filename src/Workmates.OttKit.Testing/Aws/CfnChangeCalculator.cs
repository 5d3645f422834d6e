using System.Text.Json.Nodes;

namespace Workmates.OttKit.Simulators.Aws;

/// <summary>
/// Computes a change set's resource changes by diffing the deployed template and parameters against the new ones,
/// the way CloudFormation reports them: Add / Modify / Remove, Replacement True / False / Conditional, and Details whose
/// Target.Name is the changed property (static for direct changes, dynamic for changes caused by a replaced resource).
/// </summary>
internal static class CfnChangeCalculator
{
    // Properties whose change replaces the resource ("Replacement: True" in the resource reference); a sample of the
    // types an OTT stack uses. Everything else is "Never". Tests can add rules through the scenario.
    private static readonly Dictionary<string, string> BuiltInRules = new(StringComparer.Ordinal)
    {
        ["AWS::S3::Bucket.BucketName"] = "Always",
        ["AWS::S3::Bucket.ObjectLockEnabled"] = "Always",
        ["AWS::EC2::Volume.AvailabilityZone"] = "Always",
        ["AWS::EC2::Volume.SnapshotId"] = "Always",
        ["AWS::EC2::Volume.Encrypted"] = "Always",
        ["AWS::EC2::Volume.KmsKeyId"] = "Always",
        ["AWS::EC2::Instance.ImageId"] = "Always",
        ["AWS::EC2::Instance.AvailabilityZone"] = "Always",
        ["AWS::EC2::Instance.SubnetId"] = "Always",
        ["AWS::EC2::Instance.KeyName"] = "Always",
        ["AWS::EC2::Instance.UserData"] = "Conditionally",
        ["AWS::EC2::SecurityGroup.GroupDescription"] = "Always",
        ["AWS::EC2::SecurityGroup.GroupName"] = "Always",
        ["AWS::EC2::SecurityGroup.VpcId"] = "Always",
        ["AWS::EC2::VPC.CidrBlock"] = "Always",
        ["AWS::EC2::Subnet.CidrBlock"] = "Always",
        ["AWS::EC2::Subnet.VpcId"] = "Always",
        ["AWS::EC2::Subnet.AvailabilityZone"] = "Always",
        ["AWS::ECS::Cluster.ClusterName"] = "Always",
        ["AWS::ECS::Service.ServiceName"] = "Always",
        ["AWS::ECS::Service.Cluster"] = "Always",
        ["AWS::ECS::Service.LaunchType"] = "Always",
        ["AWS::ECS::Service.Role"] = "Always",
        ["AWS::ECS::Service.SchedulingStrategy"] = "Always",
        ["AWS::ECS::TaskDefinition.*"] = "Always",
        ["AWS::ECS::TaskDefinition.Tags"] = "Never",
        ["AWS::ElasticLoadBalancingV2::LoadBalancer.Name"] = "Always",
        ["AWS::ElasticLoadBalancingV2::LoadBalancer.Scheme"] = "Always",
        ["AWS::ElasticLoadBalancingV2::LoadBalancer.Type"] = "Always",
        ["AWS::ElasticLoadBalancingV2::TargetGroup.Name"] = "Always",
        ["AWS::ElasticLoadBalancingV2::TargetGroup.Port"] = "Always",
        ["AWS::ElasticLoadBalancingV2::TargetGroup.Protocol"] = "Always",
        ["AWS::ElasticLoadBalancingV2::TargetGroup.TargetType"] = "Always",
        ["AWS::ElasticLoadBalancingV2::TargetGroup.VpcId"] = "Always",
        ["AWS::IAM::Role.RoleName"] = "Always",
        ["AWS::IAM::Role.Path"] = "Always",
        ["AWS::Logs::LogGroup.LogGroupName"] = "Always",
        ["AWS::DynamoDB::Table.TableName"] = "Always",
        ["AWS::DynamoDB::Table.KeySchema"] = "Always",
        ["AWS::SNS::Topic.TopicName"] = "Always",
        ["AWS::SQS::Queue.QueueName"] = "Always",
        ["AWS::KMS::Alias.AliasName"] = "Always",
        ["AWS::RDS::DBInstance.DBInstanceIdentifier"] = "Conditionally",
        ["AWS::CloudFront::Distribution.*"] = "Never",
    };

    public static List<CfnChange> Compute(
        CfnStack stack,
        CfnTemplate? oldTemplate,
        IReadOnlyDictionary<string, string> oldParameters,
        CfnTemplate newTemplate,
        IReadOnlyDictionary<string, string> newParameters,
        IReadOnlyDictionary<string, string> pseudo,
        IReadOnlyDictionary<string, string> extraRules)
    {
        var oldResources = oldTemplate?.ActiveResources(oldParameters) ?? new Dictionary<string, JsonObject>();
        var newResources = newTemplate.ActiveResources(newParameters);
        var changes = new Dictionary<string, CfnChange>(StringComparer.Ordinal);
        var order = CfnTemplate.CreationOrder(newResources);

        foreach (var id in order.Where(id => !oldResources.ContainsKey(id)))
        {
            changes[id] = new CfnChange("Add", id, null, Type(newResources[id]), null, [], [], null);
        }

        foreach (var id in order.Where(oldResources.ContainsKey))
        {
            var before = oldResources[id];
            var after = newResources[id];
            var type = Type(after);
            var details = new List<CfnDetail>();
            if (Type(before) != type)
            {
                details.Add(new CfnDetail("Properties", "Type", "Always", "Static", "DirectModification", null));
            }

            var rawBefore = before["Properties"] as JsonObject ?? [];
            var rawAfter = after["Properties"] as JsonObject ?? [];
            var resolvedBefore = oldTemplate!.Resolve(rawBefore, oldParameters, null, pseudo) as JsonObject ?? [];
            var resolvedAfter = newTemplate.Resolve(rawAfter, newParameters, null, pseudo) as JsonObject ?? [];
            foreach (var name in resolvedBefore.Select(p => p.Key).Union(resolvedAfter.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                if (CfnTemplate.Canonical(resolvedBefore[name]) == CfnTemplate.Canonical(resolvedAfter[name]))
                {
                    continue;
                }

                var recreation = Rule(type, name, extraRules);
                var parameter = CfnTemplate.Canonical(rawBefore[name]) == CfnTemplate.Canonical(rawAfter[name])
                    ? CfnTemplate.References(rawAfter[name]).Select(r => r.Name).FirstOrDefault(newParameters.ContainsKey)
                    : null;
                details.Add(parameter is null
                    ? new CfnDetail(name == "Tags" ? "Tags" : "Properties", name, recreation, "Static", "DirectModification", null)
                    : new CfnDetail("Properties", name, recreation, "Static", "ParameterReference", parameter));
            }

            foreach (var attribute in new[] { "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy" })
            {
                if (CfnTemplate.Canonical(before[attribute]) != CfnTemplate.Canonical(after[attribute]))
                {
                    details.Add(new CfnDetail(attribute, null, "Never", "Static", "DirectModification", null));
                }
            }

            if (details.Count > 0)
            {
                changes[id] = Modify(stack, id, type, details);
            }
        }

        // Second pass, in dependency order: a replaced resource gets a new physical id, so resources that Ref or
        // GetAtt it change too (dynamically: CloudFormation can only tell at execution time).
        foreach (var id in order.Where(oldResources.ContainsKey))
        {
            var after = newResources[id];
            var type = Type(after);
            var extra = new List<CfnDetail>();
            foreach (var (property, value) in after["Properties"] as JsonObject ?? [])
            {
                foreach (var (name, attribute) in CfnTemplate.References(value).Distinct())
                {
                    if (changes.TryGetValue(name, out var cause) && cause.Replacement == "True"
                        && !extra.Any(d => d.Name == property && d.CausingEntity == (attribute is null ? name : $"{name}.{attribute}")))
                    {
                        extra.Add(new CfnDetail("Properties", property, Rule(type, property, extraRules), "Dynamic",
                            attribute is null ? "ResourceReference" : "ResourceAttribute", attribute is null ? name : $"{name}.{attribute}"));
                    }
                }
            }

            if (extra.Count > 0)
            {
                var existing = changes.TryGetValue(id, out var c) ? c.Details : [];
                changes[id] = Modify(stack, id, type, [.. existing, .. extra]);
            }
        }

        foreach (var id in oldResources.Keys.Where(id => !newResources.ContainsKey(id)).Order(StringComparer.Ordinal))
        {
            changes[id] = new CfnChange("Remove", id, stack.Resources.GetValueOrDefault(id)?.PhysicalId, Type(oldResources[id]), null, [], [], "Delete");
        }

        // CloudFormation lists changes in template order of the logical ids; removals last.
        return order.Where(changes.ContainsKey).Select(id => changes[id])
            .Concat(changes.Values.Where(c => c.Action == "Remove")).ToList();
    }

    private static CfnChange Modify(CfnStack stack, string id, string type, IReadOnlyList<CfnDetail> details)
    {
        var replacement = details.Any(d => d.RequiresRecreation == "Always" && d.Evaluation == "Static") ? "True"
            : details.Any(d => d.RequiresRecreation is "Always" or "Conditionally") ? "Conditional"
            : "False";
        var scope = details.Select(d => d.Attribute).Distinct(StringComparer.Ordinal).ToList();
        return new CfnChange("Modify", id, stack.Resources.GetValueOrDefault(id)?.PhysicalId, type, replacement, scope, details,
            replacement == "True" ? "ReplaceAndDelete" : null);
    }

    private static string Rule(string type, string property, IReadOnlyDictionary<string, string> extraRules) =>
        extraRules.GetValueOrDefault($"{type}.{property}")
        ?? BuiltInRules.GetValueOrDefault($"{type}.{property}")
        ?? extraRules.GetValueOrDefault($"{type}.*")
        ?? BuiltInRules.GetValueOrDefault($"{type}.*")
        ?? "Never";

    private static string Type(JsonObject resource) => resource["Type"]!.ToString();
}
