#!/usr/bin/env bash
# Start-up of the `ottkit` tool measured as whole processes, the way a person or a CI job runs it.
#
#   tests/Workmates.OttKit.Benchmarks/Startup/measure-startup.sh [runs]        (default 15 runs per command)
#   PUBLISH_ARGS="-p:PublishReadyToRun=true -r linux-x64" tests/.../measure-startup.sh   (try a publish variant)
#
# 1. `dotnet publish src/Workmates.OttKit.Cli -c Release` into a temporary folder (plus PUBLISH_ARGS).
# 2. A baseline in the same run: `true` (process creation) and `dotnet hello.dll` (an empty console app: the .NET host
#    and runtime start-up every .NET tool pays).
# 3. `dotnet ottkit.dll --version` and `dotnet ottkit.dll synth --spec samples/Blacksheep/blacksheep.yaml --out <tmp>`
#    (load, validation, synthesis of every stack, diagram and workflows, files written).
# Each command runs once to warm the file cache, then <runs> times; the script prints min / median / max wall-clock
# milliseconds and the median as a multiple of the runtime baseline, as a Markdown table. Nothing is timed inside the process.
set -euo pipefail

runs="${1:-15}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# shellcheck source=timing.sh
source "$(dirname "${BASH_SOURCE[0]}")/timing.sh"

# shellcheck disable=SC2086 # PUBLISH_ARGS is a list of arguments on purpose
dotnet publish "$root/src/Workmates.OttKit.Cli" -c Release -o "$work/ottkit" ${PUBLISH_ARGS:-} >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }

publish_runtime_baseline

ottkit=(dotnet "$work/ottkit/ottkit.dll")
spec="$root/samples/Blacksheep/blacksheep.yaml"

echo "ottkit start-up: $runs runs each, wall-clock ms, $(nproc) cores, $(dotnet --version) SDK${PUBLISH_ARGS:+, publish args: $PUBLISH_ARGS}"
echo
table_header
measure '`true` (process baseline)' true
measure '`dotnet hello.dll` (runtime baseline)' dotnet "$work/hello/out/hello.dll"
baseline=$last_median
measure '`ottkit --version`' "${ottkit[@]}" --version
measure '`ottkit synth` Blacksheep' "${ottkit[@]}" synth --spec "$spec" --out "$work/out"
