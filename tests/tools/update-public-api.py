#!/usr/bin/env python3
"""Regenerates PublicAPI.Unshipped.txt of the library and the CLI from the PublicApiAnalyzers' own diagnostics.

Run from anywhere, after merging or changing public members (docs/public-api.md):

    python3 tests/tools/update-public-api.py            # build, add RS0016 symbols, drop RS0017 symbols, repeat
    python3 tests/tools/update-public-api.py --check    # build once; exit 1 listing the differences, change nothing

RS0016 ("Symbol 'X' is not part of the declared public API") names each undeclared public symbol in the file's own
format, so X is added to PublicAPI.Unshipped.txt as is. RS0017 ("Symbol 'X' is part of the declared API, but is either
not public or could not be found") names a declared symbol that is gone: it is removed from PublicAPI.Unshipped.txt,
or from PublicAPI.Shipped.txt (printed as a breaking change). The build repeats until neither diagnostic is left
(the CLI only compiles once the library does). Lines are kept sorted (ordinal) under '#nullable enable'.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROJECTS = {
    "Workmates.OttKit.csproj": os.path.join(ROOT, "src", "Workmates.OttKit"),
    "Workmates.OttKit.Cli.Core.csproj": os.path.join(ROOT, "src", "Workmates.OttKit.Cli.Core"),
    "Workmates.OttKit.Cli.csproj": os.path.join(ROOT, "src", "Workmates.OttKit.Cli"),
}
ENTRY = os.path.join(ROOT, "src", "Workmates.OttKit.Cli", "Workmates.OttKit.Cli.csproj")
HEADER = "#nullable enable"
DIAGNOSTIC = re.compile(
    r": (?:error|warning) (RS0016|RS0017): Symbol '(.*)' (?:is not part of the declared public API"
    r"|is part of the declared API, but is either not public or could not be found).*\[(.*?)\]\s*$")


def read(path):
    if not os.path.exists(path):
        return []
    return [line for line in open(path, encoding="utf-8").read().splitlines() if line.strip() and line.strip() != HEADER]


def write(path, lines):
    body = "\n".join([HEADER] + sorted(set(lines), key=lambda s: s.encode("utf-8"))) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(body)


def build():
    result = subprocess.run(
        ["dotnet", "build", ENTRY, "-c", "Debug", "-nologo", "-clp:NoSummary"],
        cwd=ROOT, capture_output=True, text=True)
    found = {}
    for line in result.stdout.splitlines():
        match = DIAGNOSTIC.search(line)
        if match:
            rule, symbol, project = match.groups()
            found.setdefault(os.path.basename(project), {"RS0016": set(), "RS0017": set()})[rule].add(symbol)
    other = [l for l in result.stdout.splitlines() if ": error " in l and not DIAGNOSTIC.search(l)]
    return result.returncode, found, sorted(set(other))


def main():
    check = "--check" in sys.argv[1:]
    for attempt in range(1, 6):
        code, found, other = build()
        if not found:
            if other:
                print("\n".join(other[:40]))
                print(f"the build fails for other reasons ({len(other)} errors); fix them and run again")
                return 1
            print("public API files are up to date" if code == 0 else "build failed (see dotnet build output)")
            return code
        if check:
            for project, rules in sorted(found.items()):
                for symbol in sorted(rules["RS0016"]):
                    print(f"{project}: + {symbol}")
                for symbol in sorted(rules["RS0017"]):
                    print(f"{project}: - {symbol}")
            return 1
        for project, rules in sorted(found.items()):
            folder = PROJECTS.get(project)
            if folder is None:
                print(f"{project}: not a project with declared public API; ignored")
                continue
            unshipped_path = os.path.join(folder, "PublicAPI.Unshipped.txt")
            shipped_path = os.path.join(folder, "PublicAPI.Shipped.txt")
            unshipped, shipped = read(unshipped_path), read(shipped_path)
            gone = rules["RS0017"]
            for symbol in sorted(gone & set(shipped)):
                print(f"{project}: BREAKING, a shipped symbol is gone: {symbol}")
            write(unshipped_path, [s for s in unshipped if s not in gone] + sorted(rules["RS0016"]))
            if gone & set(shipped):
                write(shipped_path, [s for s in shipped if s not in gone])
            print(f"{project} (pass {attempt}): +{len(rules['RS0016'])} -{len(gone)}")
    print("still changing after 5 builds; run again")
    return 1


if __name__ == "__main__":
    sys.exit(main())
