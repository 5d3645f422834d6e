using System.Text.Json;
using System.Text.Json.Nodes;
using Workmates.OttKit.Aws.Runtime;

namespace Workmates.OttKit.Aws.Ecs.Model;

internal sealed partial class RegisterTaskDefinitionRequest
{
    /// <summary>
    /// The request that registers <paramref name="definition"/> again as a new revision: every member the two shapes
    /// share is deep-copied by its wire name, the describe-only members (<c>taskDefinitionArn</c>, <c>revision</c>,
    /// <c>status</c>, <c>requiresAttributes</c>, <c>compatibilities</c>, <c>registeredAt</c>, <c>registeredBy</c>,
    /// <c>deregisteredAt</c>, <c>deleteRequestedAt</c>) are dropped, and members this library does not model yet
    /// (<see cref="TaskDefinition.AdditionalMembers"/>, <see cref="ContainerDefinition.AdditionalMembers"/>) are carried
    /// verbatim, so a newer ECS feature set on the current revision is not lost by a redeploy.
    /// </summary>
    /// <param name="definition">A task definition as returned by DescribeTaskDefinition.</param>
    /// <param name="tags">Tags for the new revision (DescribeTaskDefinition returns them beside, not inside, it).</param>
    /// <returns>A new request; change the image or environment on it, then register it.</returns>
    public static RegisterTaskDefinitionRequest FromTaskDefinition(TaskDefinition definition, IEnumerable<Tag>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var node = JsonSerializer.SerializeToNode(definition, AwsJsonProtocol.Options)!.AsObject();
        foreach (var describeOnly in DescribeOnlyMembers())
        {
            node.Remove(describeOnly);
        }

        var request = node.Deserialize<RegisterTaskDefinitionRequest>(AwsJsonProtocol.Options)!;
        if (tags is not null)
        {
            request.Tags = tags.ToList();
        }

        return request;
    }

    // The members of the TaskDefinition shape that RegisterTaskDefinitionRequest does not have.
    private static IEnumerable<string> DescribeOnlyMembers()
    {
        var register = AwsQueryProtocol.ModelledProperties(typeof(RegisterTaskDefinitionRequest)).Select(p => p.WireName).ToHashSet();
        return AwsQueryProtocol.ModelledProperties(typeof(TaskDefinition)).Select(p => p.WireName).Where(n => !register.Contains(n));
    }
}
