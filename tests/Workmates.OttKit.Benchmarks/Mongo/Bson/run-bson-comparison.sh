#!/usr/bin/env bash
# Cross-language BSON throughput on one generated OTT data set: Workmates.OttKit vs js-bson vs PyMongo's C extension.
# Usage: tests/Workmates.OttKit.Benchmarks/Mongo/Bson/run-bson-comparison.sh [data-file] [size-mb] [passes]
# Prerequisites: `cd tests/tools && npm ci` (js-bson), `apt-get install -y python3-bson-ext` (PyMongo C extension).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
data="${1:-${TMPDIR:-/tmp}/ottkit-bson-dataset.bson}"
size_mb="${2:-100}"
passes="${3:-5}"
out="$(mktemp -d)"

dotnet build "$root/tests/Workmates.OttKit.Benchmarks" -c Release -v q -nologo >/dev/null
dll="$root/tests/Workmates.OttKit.Benchmarks/bin/Release/net10.0/Workmates.OttKit.Benchmarks.dll"
dotnet "$dll" bson-throughput --data "$data" --size-mb "$size_mb" --passes "$passes" > "$out/dotnet.json"
node "$here/peer-js-bson.mjs" "$data" "$passes" > "$out/js.json"
if /usr/bin/python3 -c 'import bson, sys; sys.exit(0 if bson.has_c() else 1)' 2>/dev/null; then
  /usr/bin/python3 "$here/peer_pymongo.py" "$data" "$passes" > "$out/py.json"
fi

/usr/bin/python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
rows = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(out, "*.json")))]
ours = next(r for r in rows if r["peer"].startswith("Workmates"))
peers = [r for r in rows if r is not ours]
print(f"data: {ours['bytes']} bytes, {ours['documents']} documents, {ours['elements']} elements")
print(f"| implementation | decode MB/s | encode MB/s |")
print(f"| --- | ---: | ---: |")
for r in [ours] + peers:
    print(f"| {r['peer']} | {r['decode_MBps']} | {r['encode_MBps']} |")
print(f"| Workmates.OttKit raw validate / validate+walk | {ours['raw_validate_MBps']} / {ours['raw_walk_MBps']} | pooled writer: {ours['encode_pooled_MBps']} |")
if peers:
    best_decode = max(peers, key=lambda r: r["decode_MBps"])
    best_encode = max(peers, key=lambda r: r["encode_MBps"])
    print(f"decode ratio vs fastest peer ({best_decode['peer']}): {ours['decode_MBps'] / best_decode['decode_MBps']:.2f}x")
    print(f"encode ratio vs fastest peer ({best_encode['peer']}): {ours['encode_MBps'] / best_encode['encode_MBps']:.2f}x")
PY
rm -rf "$out"
