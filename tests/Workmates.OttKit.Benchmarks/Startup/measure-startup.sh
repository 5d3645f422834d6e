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
# milliseconds as a Markdown table. Nothing is timed inside the process.
set -euo pipefail

runs="${1:-15}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# shellcheck disable=SC2086 # PUBLISH_ARGS is a list of arguments on purpose
dotnet publish "$root/src/Workmates.OttKit.Cli" -c Release -o "$work/ottkit" ${PUBLISH_ARGS:-} >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }

mkdir -p "$work/hello"
cat >"$work/hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("hello");' >"$work/hello/Program.cs"
dotnet publish "$work/hello/hello.csproj" -c Release -o "$work/hello/out" >"$work/hello.log" 2>&1 \
  || { cat "$work/hello.log"; exit 1; }

ottkit=(dotnet "$work/ottkit/ottkit.dll")
spec="$root/samples/Blacksheep/blacksheep.yaml"

# Milliseconds of one run of "$@" (stdout and stderr discarded; a failing command stops the script).
once() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; "$@"; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

measure() {
  local label="$1"
  shift
  once "$@" >/dev/null
  local times=()
  for _ in $(seq "$runs"); do
    times+=("$(once "$@")")
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local min median max
  min=$(echo "$sorted" | head -1)
  max=$(echo "$sorted" | tail -1)
  median=$(echo "$sorted" | awk -v n="$runs" '{a[NR]=$1} END {if (n % 2) print a[(n+1)/2]; else print int((a[n/2]+a[n/2+1])/2)}')
  printf '| %s | %s | %s | %s |\n' "$label" "$min" "$median" "$max"
}

echo "ottkit start-up: $runs runs each, wall-clock ms, $(nproc) cores, $(dotnet --version) SDK${PUBLISH_ARGS:+, publish args: $PUBLISH_ARGS}"
echo
echo "| command | min | median | max |"
echo "| --- | ---: | ---: | ---: |"
measure '`true` (process baseline)' true
measure '`dotnet hello.dll` (runtime baseline)' dotnet "$work/hello/out/hello.dll"
measure '`ottkit --version`' "${ottkit[@]}" --version
measure '`ottkit synth` Blacksheep' "${ottkit[@]}" synth --spec "$spec" --out "$work/out"
