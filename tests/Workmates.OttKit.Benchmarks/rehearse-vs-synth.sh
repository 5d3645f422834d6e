#!/usr/bin/env bash
# Wall time of `ottkit rehearse` against `ottkit synth` (the baseline) on one spec, in the same run: RUNS (default 10)
# of each, interleaved (synth, rehearse, synth, …) so that machine load affects both alike; prints every run, the
# medians and their ratio. Each run is a fresh `dotnet ottkit.dll` process, as a CI step runs it (start-up included).
# Usage: tests/Workmates.OttKit.Benchmarks/rehearse-vs-synth.sh [spec]   (OTTKIT_CLI=path/to/ottkit.dll, RUNS=10)
# OTTKIT_BASELINE_CLI=path/to/other/ottkit.dll also runs that build's rehearse in the same loop (before/after a change).
set -euo pipefail
cd "$(dirname "$0")/../.."
spec="${1:-samples/Blacksheep/blacksheep.yaml}"
runs="${RUNS:-10}"
cli="${OTTKIT_CLI:-src/Workmates.OttKit.Cli/bin/Release/net10.0/ottkit.dll}"
baseline="${OTTKIT_BASELINE_CLI:-}"
[[ -f "$cli" ]] || { echo "build the CLI first: dotnet build src/Workmates.OttKit.Cli -c Release (or set OTTKIT_CLI)" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
times="$out/times.txt"
: >"$times"
measure() { # name, command...
  local name="$1" start end
  shift
  start=$(date +%s%N)
  "$@" >"$out/last.log" 2>&1 || { echo "$name failed:" >&2; tail -n 20 "$out/last.log" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$name $(( (end - start) / 1000000 ))" | tee -a "$times"
}
for i in $(seq "$runs"); do
  measure synth dotnet "$cli" synth --spec "$spec" --out "$out/synth-$i"
  measure rehearse dotnet "$cli" rehearse --spec "$spec" --no-color
  [[ -z "$baseline" ]] || measure rehearse-baseline dotnet "$baseline" rehearse --spec "$spec" --no-color
done
python3 - "$times" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, ms = line.split()
    runs.setdefault(name, []).append(int(ms))
synth, rehearse = statistics.median(runs["synth"]), statistics.median(runs["rehearse"])
print(f"median of {len(runs['synth'])}: synth {synth:.0f} ms, rehearse {rehearse:.0f} ms, ratio rehearse/synth {rehearse / synth:.2f}")
if "rehearse-baseline" in runs:
    base = statistics.median(runs["rehearse-baseline"])
    print(f"baseline build: rehearse {base:.0f} ms, ratio rehearse/synth {base / synth:.2f}; this build / baseline {rehearse / base:.2f}")
PY
