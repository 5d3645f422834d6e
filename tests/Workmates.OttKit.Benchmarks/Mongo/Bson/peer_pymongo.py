"""PyMongo's BSON C extension on the same file as the .NET harness.

Usage: /usr/bin/python3 peer_pymongo.py <data.bson> [passes]. Needs Debian's python3-bson-ext.
Decode uses bson.decode_all (one C call for the whole buffer, PyMongo's fastest path); encode calls bson.encode per document.
"""
import json
import sys
import time

import bson

if not bson.has_c():
    sys.exit("the bson C extension is not available (apt-get install python3-bson-ext)")

path = sys.argv[1]
passes = int(sys.argv[2]) if len(sys.argv) > 2 else 5
with open(path, "rb") as f:
    data = f.read()


def measure(run):
    """Best pass by process CPU time (as the .NET and node harnesses), plus wall time."""
    run()
    best_cpu = best_wall = float("inf")
    for _ in range(passes):
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return len(data) / 1e6 / best_cpu, len(data) / 1e6 / best_wall


decoded = []


def decode():
    global decoded
    decoded = bson.decode_all(data)


def encode():
    for document in decoded:
        bson.encode(document)


decode_rate = measure(decode)
encode_rate = measure(encode)
try:
    import pymongo

    version = pymongo.version
except ImportError:
    import subprocess

    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "python3-bson-ext"], capture_output=True, text=True).stdout or "?"
print(json.dumps({
    "peer": f"PyMongo bson C extension {version}",
    "decode_MBps": round(decode_rate[0], 1), "encode_MBps": round(encode_rate[0], 1),
    "decode_wall_MBps": round(decode_rate[1], 1), "encode_wall_MBps": round(encode_rate[1], 1),
}))
