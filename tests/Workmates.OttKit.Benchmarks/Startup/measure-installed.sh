#!/usr/bin/env bash
# Start-up of the `ottkit` tool as users install it: `dotnet pack` (the RID-specific ReadyToRun tool packages and
# the pointer package), `dotnet tool install` from that folder into a temporary tool path, then whole-process
# wall-clock times of the installed command, with the runtime baseline measured in the same run.
#
#   tests/Workmates.OttKit.Benchmarks/Startup/measure-installed.sh [runs]     (default 15 runs per command)
#
# Rows: `true` (process creation), `dotnet hello.dll` (an empty console app: the host and runtime start-up every .NET
# tool pays), the installed `ottkit --version`, `ottkit validate` and `ottkit synth` of samples/Blacksheep (load,
# validation, synthesis of every stack, registry-schema validation of every template, diagram, workflows, files
# written). Each command runs once to warm the file cache, then <runs> times: min / median / max ms and the median as
# a multiple of the runtime baseline. The last row installs the portable (JIT) package, as shipped before, for
# comparison in the same run. Nothing is timed inside the process.
set -euo pipefail

runs="${1:-15}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# shellcheck source=timing.sh
source "$(dirname "${BASH_SOURCE[0]}")/timing.sh"
# The installs read packages only from this run's folders: a clean package cache, so no earlier pack of the same
# version is picked up instead.
install_env=(env NUGET_PACKAGES="$work/nuget-cache")

dotnet pack "$root/src/Workmates.OttKit.Cli" -c Release -o "$work/packages" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
version=$(ls "$work/packages" | sed -n 's/^Workmates\.OttKit\.Cli\.\([0-9][^a-z]*\)\.nupkg$/\1/p' | head -1)
(cd "$work" && "${install_env[@]}" dotnet tool install Workmates.OttKit.Cli --version "$version" --tool-path "$work/tool" --add-source "$work/packages" >"$work/install.log" 2>&1) \
  || { cat "$work/install.log"; exit 1; }

# For comparison in the same run: the portable (JIT) package, as the tool shipped before it was RID-specific.
dotnet pack "$root/src/Workmates.OttKit.Cli" -c Release -o "$work/portable-packages" -p:ToolPackageRuntimeIdentifiers= -p:Version="$version-portable" >"$work/pack-portable.log" 2>&1 \
  || { cat "$work/pack-portable.log"; exit 1; }
(cd "$work" && "${install_env[@]}" dotnet tool install Workmates.OttKit.Cli --version "$version-portable" --tool-path "$work/portable" --add-source "$work/portable-packages" >"$work/install-portable.log" 2>&1) \
  || { cat "$work/install-portable.log"; exit 1; }

publish_runtime_baseline

spec="$root/samples/Blacksheep/blacksheep.yaml"

echo "installed ottkit $version ($(ls "$work/tool/.store/workmates.ottkit.cli/$version" 2>/dev/null | tr '\n' ' ')): $runs runs each, wall-clock ms, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version) SDK"
echo
table_header
measure '`true` (process baseline)' true
measure '`dotnet hello.dll` (runtime baseline)' dotnet "$work/hello/out/hello.dll"
baseline=$last_median
measure '`ottkit --version`' "$work/tool/ottkit" --version
measure '`ottkit validate` Blacksheep' "$work/tool/ottkit" validate --spec "$spec"
measure '`ottkit synth` Blacksheep' "$work/tool/ottkit" synth --spec "$spec" --out "$work/out"
measure '`ottkit synth` Blacksheep, portable (JIT) package' "$work/portable/ottkit" synth --spec "$spec" --out "$work/out-portable"
