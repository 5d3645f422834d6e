using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Workmates.OttKit.CloudFormation;

namespace Workmates.OttKit.Constructs;

/// <summary>
/// The body of the live-event dashboard: big numbers across the top (requests, 5xx rate, p95, tasks per service), then
/// the alarm board, then graphs for the load balancer, the services, the cluster, the MongoDB hosts and the backups.
/// The body is JSON inside <c>Fn::Sub</c>: imported names enter as <c>${Variable}</c>.
/// </summary>
internal static class MonitoringDashboard
{
    private const int Width = 24;

    public static Intrinsic Body(
        PlatformNaming naming,
        StackScope scope,
        Cluster cluster,
        LoadBalancer loadBalancer,
        IReadOnlyList<Service> serviceStacks,
        IReadOnlyList<(int Member, Intrinsic? Instance, Intrinsic? Volume)> members,
        bool hasBackups,
        IReadOnlyList<string> alarmNames)
    {
        var variables = new CfnObject
        {
            ["LoadBalancer"] = loadBalancer.LoadBalancerFullName.In(scope),
            ["Cluster"] = cluster.ClusterName.In(scope),
        };
        var services = serviceStacks.Select(s => (s.Name, Var: "TargetGroup" + PlatformNaming.Pascal(s.Name))).ToArray();
        for (var i = 0; i < services.Length; i++)
        {
            variables[services[i].Var] = serviceStacks[i].TargetGroupFullName.In(scope);
        }

        foreach (var (member, instance, volume) in members)
        {
            if (instance is not null)
            {
                variables[$"Member{member.ToString(CultureInfo.InvariantCulture)}Instance"] = instance;
            }

            if (volume is not null)
            {
                variables[$"Member{member.ToString(CultureInfo.InvariantCulture)}Volume"] = volume;
            }
        }

        var widgets = new List<Action<Utf8JsonWriter>>();
        var y = 0;
        void Add(string type, int x, int width, int height, Action<Utf8JsonWriter> properties) =>
            widgets.Add(WidgetAt(type, x, y, width, height, properties));

        // Row 1: the numbers a person glances at during the event.
        Add("metric", 0, 6, 5, w => SingleValue(w, "Requests per minute", 60, [Metric("AWS/ApplicationELB", "RequestCount", "Sum", "requests", ("LoadBalancer", "${LoadBalancer}"))]));
        Add("metric", 6, 6, 5, w => SingleValue(
            w,
            "5xx % (5 min)",
            300,
            [
                Expression("IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)", "5xx %"),
                Metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", "elb5xx", ("LoadBalancer", "${LoadBalancer}"), visible: false),
                Metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "target5xx", ("LoadBalancer", "${LoadBalancer}"), visible: false),
                Metric("AWS/ApplicationELB", "RequestCount", "Sum", "requests", ("LoadBalancer", "${LoadBalancer}"), visible: false),
            ]));
        Add("metric", 12, 4, 5, w => SingleValue(w, "p95 response (s)", 60, [Metric("AWS/ApplicationELB", "TargetResponseTime", "p95", "p95", ("LoadBalancer", "${LoadBalancer}"))]));
        Add("metric", 16, 8, 5, w => SingleValue(
            w,
            "Running tasks",
            60,
            [.. serviceStacks.Select((s, i) => Metric("ECS/ContainerInsights", "RunningTaskCount", "Average", $"running{i}", ("ClusterName", "${Cluster}"), ("ServiceName", s.Name), label: s.Name))]));
        y += 5;

        // Row 2: every alarm of the environment, red first.
        Add("alarm", 0, Width, 4, w =>
        {
            w.WriteString("title", "Alarms");
            w.WriteStartArray("alarms");
            // An alarm status widget shows at most 100 alarms.
            foreach (var name in alarmNames.Take(100))
            {
                w.WriteStringValue($"arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:{name}");
            }

            w.WriteEndArray();
            w.WriteString("sortBy", "stateUpdatedTimestamp");
            w.WriteStartArray("states");
            w.WriteStringValue("ALARM");
            w.WriteStringValue("INSUFFICIENT_DATA");
            w.WriteStringValue("OK");
            w.WriteEndArray();
        });
        y += 4;

        // Row 3: load balancer and per-service latency.
        Add("metric", 0, 12, 6, w => TimeSeries(
            w,
            "Load balancer: requests and 5xx",
            60,
            [
                Metric("AWS/ApplicationELB", "RequestCount", "Sum", "requests", ("LoadBalancer", "${LoadBalancer}")),
                Metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", "elb5xx", ("LoadBalancer", "${LoadBalancer}"), right: true),
                Metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "target5xx", ("LoadBalancer", "${LoadBalancer}"), right: true),
            ]));
        Add("metric", 12, 12, 6, w => TimeSeries(
            w,
            "Services: p95 response time (s)",
            60,
            [.. services.Select((s, i) => Metric("AWS/ApplicationELB", "TargetResponseTime", "p95", $"p95{i}", ("LoadBalancer", "${LoadBalancer}"), ("TargetGroup", $"${{{s.Var}}}"), label: s.Name))]));
        y += 6;

        // Row 4: tasks and hosts.
        Add("metric", 0, 12, 6, w => TimeSeries(
            w,
            "Services: running vs desired tasks",
            60,
            [.. serviceStacks.SelectMany((s, i) => new[]
            {
                Metric("ECS/ContainerInsights", "RunningTaskCount", "Average", $"running{i}", ("ClusterName", "${Cluster}"), ("ServiceName", s.Name), label: $"{s.Name} running"),
                Metric("ECS/ContainerInsights", "DesiredTaskCount", "Average", $"desired{i}", ("ClusterName", "${Cluster}"), ("ServiceName", s.Name), label: $"{s.Name} desired"),
            })]));
        Add("metric", 12, 12, 6, w => TimeSeries(
            w,
            "Cluster: CPU and memory reservation (%)",
            60,
            [
                Metric("AWS/ECS", "CPUReservation", "Maximum", "cpu", ("ClusterName", "${Cluster}")),
                Metric("AWS/ECS", "MemoryReservation", "Maximum", "memory", ("ClusterName", "${Cluster}")),
            ]));
        y += 6;

        // Row 5: MongoDB hosts and backups (when the environment has a database stack).
        if (members.Count > 0)
        {
            var instances = members.Where(m => m.Instance is not null).Select(m => m.Member.ToString(CultureInfo.InvariantCulture)).ToArray();
            var volumes = members.Where(m => m.Volume is not null).Select(m => m.Member.ToString(CultureInfo.InvariantCulture)).ToArray();
            Add("metric", 0, 8, 6, w => TimeSeries(
                w,
                "MongoDB hosts: CPU (%)",
                60,
                [.. instances.Select(n => Metric("AWS/EC2", "CPUUtilization", "Maximum", $"cpu{n}", ("InstanceId", $"${{Member{n}Instance}}"), label: $"mongo-{n}"))]));
            Add("metric", 8, 8, 6, w => TimeSeries(
                w,
                "MongoDB data volumes: bytes written",
                300,
                [.. volumes.Select(n => Metric("AWS/EBS", "VolumeWriteBytes", "Sum", $"write{n}", ("VolumeId", $"${{Member{n}Volume}}"), label: $"mongo-{n}"))]));
            Add("metric", 16, 8, 6, w => TimeSeries(
                w,
                "MongoDB hosts: status check failures",
                60,
                [.. instances.Select(n => Metric("AWS/EC2", "StatusCheckFailed", "Maximum", $"status{n}", ("InstanceId", $"${{Member{n}Instance}}"), label: $"mongo-{n}"))]));
            y += 6;
        }

        if (hasBackups)
        {
            Add("metric", 0, 8, 4, w => SingleValue(
                w,
                "Failed backups (24 h)",
                86400,
                [Metric("AWS/Events", "TriggeredRules", "Sum", "failures", ("RuleName", $"{naming.Env}-backup-failed"))]));
            Add("text", 8, 16, 4, w => w.WriteString("markdown", $"**Backups**: the `{MonitoringBuilder.BackupFamily(naming)}` task runs daily; a failed run e-mails the alarm topic. Restore rehearsal: `ottkit mongo restore --dry-run`."));
        }

        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("widgets");
            foreach (var widget in widgets)
            {
                widget(w);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return Fn.Sub(json, variables);
    }

    private static Action<Utf8JsonWriter> WidgetAt(string type, int x, int y, int width, int height, Action<Utf8JsonWriter> properties) => w =>
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("x", x);
        w.WriteNumber("y", y);
        w.WriteNumber("width", width);
        w.WriteNumber("height", height);
        w.WriteStartObject("properties");
        if (type != "text")
        {
            w.WriteString("region", "${AWS::Region}");
        }

        properties(w);
        w.WriteEndObject();
        w.WriteEndObject();
    };

    private static void SingleValue(Utf8JsonWriter w, string title, int period, Action<Utf8JsonWriter>[] metrics)
    {
        w.WriteString("title", title);
        w.WriteString("view", "singleValue");
        w.WriteNumber("period", period);
        w.WriteBoolean("sparkline", true);
        WriteMetrics(w, metrics);
    }

    private static void TimeSeries(Utf8JsonWriter w, string title, int period, Action<Utf8JsonWriter>[] metrics)
    {
        w.WriteString("title", title);
        w.WriteString("view", "timeSeries");
        w.WriteBoolean("stacked", false);
        w.WriteNumber("period", period);
        WriteMetrics(w, metrics);
    }

    private static void WriteMetrics(Utf8JsonWriter w, Action<Utf8JsonWriter>[] metrics)
    {
        w.WriteStartArray("metrics");
        foreach (var metric in metrics)
        {
            metric(w);
        }

        w.WriteEndArray();
    }

    private static Action<Utf8JsonWriter> Metric(string ns, string name, string stat, string id, (string Name, string Value) d1, string? label = null, bool visible = true, bool right = false) =>
        Metric(ns, name, stat, id, [d1], label, visible, right);

    private static Action<Utf8JsonWriter> Metric(string ns, string name, string stat, string id, (string Name, string Value) d1, (string Name, string Value) d2, string? label = null) =>
        Metric(ns, name, stat, id, [d1, d2], label, visible: true, right: false);

    private static Action<Utf8JsonWriter> Metric(string ns, string name, string stat, string id, (string Name, string Value)[] dimensions, string? label, bool visible, bool right) => w =>
    {
        // [namespace, metric, dim, value, ..., {options}]
        w.WriteStartArray();
        w.WriteStringValue(ns);
        w.WriteStringValue(name);
        foreach (var (key, value) in dimensions)
        {
            w.WriteStringValue(key);
            w.WriteStringValue(value);
        }

        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("stat", stat);
        if (label is not null)
        {
            w.WriteString("label", label);
        }

        if (!visible)
        {
            w.WriteBoolean("visible", false);
        }

        if (right)
        {
            w.WriteString("yAxis", "right");
        }

        w.WriteEndObject();
        w.WriteEndArray();
    };

    private static Action<Utf8JsonWriter> Expression(string expression, string label) => w =>
    {
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteString("expression", expression);
        w.WriteString("label", label);
        w.WriteString("id", "result");
        w.WriteEndObject();
        w.WriteEndArray();
    };

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
