#!/usr/bin/env python3
"""Compares two folders of synthesized CloudFormation templates (ottkit synth output, YAML with short-form
intrinsics) as parsed data: object keys are order-insensitive, lists keep their order. Prints every difference
as a path and exits 1 when there is one. Usage: compare-templates.py BEFORE_DIR AFTER_DIR"""
import pathlib
import sys

import yaml


class CfnLoader(yaml.SafeLoader):
    pass


def _intrinsic(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _intrinsic)


def load(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)


def diff(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a:
                out.append(f"{path}.{key}: added {b[key]!r}")
            elif key not in b:
                out.append(f"{path}.{key}: removed {a[key]!r}")
            else:
                diff(a[key], b[key], f"{path}.{key}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {a!r} -> {b!r}")


def main(before, after):
    before, after = pathlib.Path(before), pathlib.Path(after)
    names = sorted({p.name for p in before.glob("*.yaml")} | {p.name for p in after.glob("*.yaml")})
    out = []
    for name in names:
        x, y = before / name, after / name
        if not x.exists() or not y.exists():
            out.append(f"{name}: only in {'after' if not x.exists() else 'before'}")
            continue
        diff(load(x), load(y), name, out)
    for line in out:
        print(line)
    print(f"{len(names)} templates compared, {len(out)} semantic difference(s)")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
