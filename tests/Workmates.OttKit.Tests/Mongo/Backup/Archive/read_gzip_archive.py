#!/usr/bin/env python3
"""An independent reader for OttKit's compatibility tests: no code shared with the C# reader.

Reads a gzip'd mongodump archive from the file named on the command line with Python's zlib/gzip, requires it to be
exactly ONE gzip member (what `mongorestore --gzip` and Go's reader are given), parses the archive framing
(magic, prelude, namespace blocks, EOF blocks), recomputes each namespace's CRC-64/XZ and prints a JSON summary:
{"members": 1, "archive_bytes": n, "collections": ["db.coll", ...],
 "namespaces": {"db.coll": {"documents": n, "bytes": n, "crc": signed int64, "crc_ok": true}}}
Any format problem exits non-zero with the reason on stderr.
"""
import gzip
import json
import struct
import sys
import zlib

MAGIC = 0x8199E26D
TERMINATOR = 0xFFFFFFFF
POLY = 0xC96C5795D7870F42
TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ POLY if c & 1 else c >> 1
    TABLE.append(c)


def crc64_xz(data, crc=0):
    crc ^= 0xFFFFFFFFFFFFFFFF
    for b in data:
        crc = TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def parse_document(data, offset):
    """Top-level fields of one BSON document: strings, booleans, int32, int64; anything else is skipped by size."""
    (length,) = struct.unpack_from("<i", data, offset)
    end = offset + length
    if length < 5 or end > len(data) or data[end - 1] != 0:
        fail(f"bad document at {offset}")
    fields = {}
    pos = offset + 4
    while data[pos] != 0:
        kind = data[pos]
        name_end = data.index(b"\0", pos + 1)
        name = data[pos + 1:name_end].decode()
        pos = name_end + 1
        if kind == 0x02:
            (n,) = struct.unpack_from("<i", data, pos)
            fields[name] = data[pos + 4:pos + 4 + n - 1].decode()
            pos += 4 + n
        elif kind == 0x08:
            fields[name] = data[pos] != 0
            pos += 1
        elif kind == 0x10:
            (fields[name],) = struct.unpack_from("<i", data, pos)
            pos += 4
        elif kind == 0x12:
            (fields[name],) = struct.unpack_from("<q", data, pos)
            pos += 8
        elif kind in (0x03, 0x04):
            (n,) = struct.unpack_from("<i", data, pos)
            pos += n
        else:
            fail(f"unexpected BSON type {kind:#x} in field {name}")
    return fields, end


def main(path):
    with open(path, "rb") as f:
        stored = f.read()
    # One member: a decoder for a single gzip stream must end exactly at the end of the file.
    single = zlib.decompressobj(wbits=31)
    archive = single.decompress(stored) + single.flush()
    if not single.eof:
        fail("the gzip stream is truncated")
    if single.unused_data:
        fail(f"{len(single.unused_data)} bytes follow the first gzip member")
    if gzip.decompress(stored) != archive:
        fail("gzip.decompress disagrees with zlib")

    (magic,) = struct.unpack_from("<I", archive, 0)
    if magic != MAGIC:
        fail(f"bad magic {magic:#x}")
    header, pos = parse_document(archive, 4)
    collections = []
    while struct.unpack_from("<I", archive, pos)[0] != TERMINATOR:
        entry, pos = parse_document(archive, pos)
        collections.append(f"{entry['db']}.{entry['collection']}")
    pos += 4

    namespaces = {}
    while pos < len(archive):
        block, pos = parse_document(archive, pos)
        if sorted(block) != ["CRC", "EOF", "collection", "db"]:
            fail(f"namespace header with fields {sorted(block)}")
        ns = f"{block['db']}.{block['collection']}"
        state = namespaces.setdefault(ns, {"documents": 0, "bytes": 0, "crc_running": 0})
        if block["EOF"]:
            crc = crc64_xz(b"", 0) if state["bytes"] == 0 else state["crc_running"]
            state["crc"] = block["CRC"]
            state["crc_ok"] = (block["CRC"] & 0xFFFFFFFFFFFFFFFF) == crc
            if struct.unpack_from("<I", archive, pos)[0] != TERMINATOR:
                fail(f"EOF block of {ns} not terminated")
            pos += 4
            continue
        while struct.unpack_from("<I", archive, pos)[0] != TERMINATOR:
            _, end = parse_document(archive, pos)
            state["crc_running"] = crc64_xz(archive[pos:end], state["crc_running"])
            state["documents"] += 1
            state["bytes"] += end - pos
            pos = end
        pos += 4

    for state in namespaces.values():
        del state["crc_running"]
    print(json.dumps({"members": 1, "archive_bytes": len(archive), "header": header, "collections": collections, "namespaces": namespaces}))


if __name__ == "__main__":
    main(sys.argv[1])
