#!/usr/bin/env python3
"""Generates the internal request/response/model classes of src/Workmates.OttKit/Aws/<Service>/Model/ from the
botocore service models in shared/conformance/aws-models (read in place, never copied).

Only the shapes reachable from the operations the library calls are generated. Re-run after a model update:
    python3 tests/Workmates.OttKit.Tests/Aws/ModelGenerator/generate_models.py ../shared/conformance/aws-models
"""
import html, json, os, re, sys, textwrap

SERVICES = {
    "ecs": ("Ecs", [
        "RegisterTaskDefinition", "DescribeTaskDefinition", "DeregisterTaskDefinition", "ListTaskDefinitions",
        "UpdateService", "DescribeServices", "ListServiceDeployments", "DescribeServiceDeployments",
        "StopServiceDeployment", "DescribeServiceRevisions", "ListTasks", "DescribeTasks", "ListContainerInstances",
        "DescribeContainerInstances", "UpdateContainerInstancesState"]),
    "cloudformation": ("CloudFormation", [
        "CreateChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DeleteChangeSet", "ListChangeSets",
        "DescribeStacks", "DescribeStackEvents", "DescribeStackResources", "GetTemplate", "ValidateTemplate",
        "ContinueUpdateRollback", "CancelUpdateStack", "RollbackStack", "DeleteStack", "UpdateTerminationProtection",
        "SetStackPolicy", "DetectStackDrift", "DescribeStackDriftDetectionStatus"]),
    "elbv2": ("ElasticLoadBalancingV2", ["DescribeTargetHealth", "DescribeTargetGroups"]),
    "cloudwatch": ("CloudWatch", ["DescribeAlarms", "PutMetricData"]),
}

# Structures whose unknown members are kept (JsonExtensionData) so that a describe → re-register round trip
# never drops a member this library does not model yet.
EXTENSIBLE = {"ecs": {"TaskDefinition", "ContainerDefinition", "RegisterTaskDefinitionRequest"}}

SCALARS = {"string": "string?", "integer": "int?", "long": "long?", "double": "double?", "float": "double?",
           "boolean": "bool?", "timestamp": "DateTime?", "blob": "byte[]?"}


def pascal(name):
    return name[0].upper() + name[1:]


def doc_text(raw, limit=280):
    text = re.sub(r"<[^>]+>", " ", raw or "")
    text = html.unescape(text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return ""
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = m.group(1) if m else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 3].rstrip() + "..."
    return sentence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(models_root, repo_root):
    for folder, (csname, ops) in SERVICES.items():
        model = json.load(open(os.path.join(models_root, folder, "service-2.json")))
        shapes = model["shapes"]
        renames = {}
        roots = {}
        for op_name in ops:
            op = model["operations"][op_name]
            renames[op["input"]["shape"]] = op_name + "Request"
            roots[op_name + "Request"] = ("request", op_name)
            if "output" in op:
                renames[op["output"]["shape"]] = op_name + "Response"
            roots[op_name + "Response"] = ("response", op_name)
        seen = set()

        def walk(name):
            if name in seen:
                return
            seen.add(name)
            shape = shapes[name]
            for member in shape.get("members", {}).values():
                walk(member["shape"])
            if shape["type"] == "list":
                walk(shape["member"]["shape"])
            if shape["type"] == "map":
                walk(shape["key"]["shape"])
                walk(shape["value"]["shape"])

        for op_name in ops:
            op = model["operations"][op_name]
            walk(op["input"]["shape"])
            if "output" in op:
                walk(op["output"]["shape"])

        def cs_type(name):
            shape = shapes[name]
            kind = shape["type"]
            if kind == "structure":
                if shape.get("document"):
                    return "JsonElement?"
                return renames.get(name, name) + "?"
            if kind == "list":
                return "List<" + cs_type(shape["member"]["shape"]).rstrip("?") + ">?"
            if kind == "map":
                return ("Dictionary<" + cs_type(shape["key"]["shape"]).rstrip("?") + ", "
                        + cs_type(shape["value"]["shape"]).rstrip("?") + ">?")
            return SCALARS[kind]

        out_dir = os.path.join(repo_root, "src", "Workmates.OttKit", "Aws", csname, "Model")
        os.makedirs(out_dir, exist_ok=True)
        for old in os.listdir(out_dir):
            if old.endswith(".g.cs"):
                os.remove(os.path.join(out_dir, old))
        namespace = f"Workmates.OttKit.Aws.{csname}.Model"
        classes = []
        for name in sorted(seen):
            shape = shapes[name]
            if shape["type"] != "structure" or shape.get("document") or shape.get("exception"):
                continue
            classes.append((renames.get(name, name), shape))
        for op_name in ops:
            if "output" not in model["operations"][op_name]:
                classes.append((op_name + "Response", {"type": "structure", "members": {},
                                                        "documentation": f"The (empty) result of {op_name}."}))
        for cls, shape in classes:
            role = roots.get(cls)
            base = ""
            summary = doc_text(shape.get("documentation")) or f"The {cls} structure."
            if role and role[0] == "request":
                base = " : AmazonWebServiceRequest"
                summary = f"The input of the {role[1]} operation."
            elif role and role[0] == "response":
                base = " : AmazonWebServiceResponse"
                summary = f"The result of the {role[1]} operation."
            lines = ["// <auto-generated>",
                     "// Generated by tests/Workmates.OttKit.Tests/Aws/ModelGenerator/generate_models.py from the",
                     f"// botocore model {folder}/service-2.json. Do not edit; re-run the generator.",
                     "// </auto-generated>", "#nullable enable", "using System.Text.Json;",
                     "using System.Text.Json.Serialization;", "using Amazon.Runtime;", "",
                     f"namespace {namespace};", "", "/// <summary>", f"/// {summary}", "/// </summary>"]
            lines.append(f"internal sealed partial class {cls}{base}")
            lines.append("{")
            required = set(shape.get("required", []))
            for member_name, member in shape.get("members", {}).items():
                target = shapes[member["shape"]]
                doc = doc_text(member.get("documentation")) or f"The {member_name} member."
                extra = []
                if member_name in required:
                    extra.append("Required.")
                if "enum" in target:
                    extra.append("Values: " + ", ".join(target["enum"]) + ".")
                if target["type"] == "list" and "enum" in shapes[target["member"]["shape"]]:
                    extra.append("Item values: " + ", ".join(shapes[target["member"]["shape"]]["enum"]) + ".")
                if extra:
                    doc = doc + " " + " ".join(extra)
                lines.append("    /// <summary>")
                for chunk in textwrap.wrap(doc, 110):
                    lines.append("    /// " + chunk)
                lines.append("    /// </summary>")
                lines.append(f"    [JsonPropertyName(\"{member_name}\")]")
                lines.append(f"    public {cs_type(member['shape'])} {pascal(member_name)} {{ get; set; }}")
                lines.append("")
            if cls in EXTENSIBLE.get(folder, set()) or name_of(renames, cls) in EXTENSIBLE.get(folder, set()):
                lines.append("    /// <summary>")
                lines.append("    /// Members the service returned that this library does not model yet, kept verbatim so that a")
                lines.append("    /// describe → register round trip does not lose them.")
                lines.append("    /// </summary>")
                lines.append("    [JsonExtensionData]")
                lines.append("    public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }")
                lines.append("")
            if lines[-1] == "":
                lines.pop()
            lines.append("}")
            with open(os.path.join(out_dir, cls + ".g.cs"), "w") as f:
                f.write("\n".join(lines) + "\n")
        print(folder, len(classes), "classes")


def name_of(renames, cls):
    for k, v in renames.items():
        if v == cls:
            return k
    return cls


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.abspath(os.path.join(here, "..", "..", "..", ".."))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, "..", "..", "shared", "conformance", "aws-models"), repo)
