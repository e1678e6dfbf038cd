#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ (checked in; rerun after
changing an input format or the tests the seeds come from).

- fuzz_manifest: the manifests of tests/unit/config and examples/.
- fuzz_jsonl: the lines of tests/unit/chain/jsonl_test.cpp.
- fuzz_segment: the events of jsonl_test's sample chain in the event file's
  encoding (src/chain/segment.h), behind an index row (count, offset, length).
- fuzz_abi_lift: one input per type and entry point of fuzz_abi_lift.cpp, over
  a memory whose words point at each other, so strings, lists and records
  resolve to more of the same.
"""
import hashlib
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
REPO = ROOT.parent

# Keep in step with FuzzedTypes and Mode in fuzz_abi_lift.cpp.
ABI_TYPE_COUNT = 53
ABI_MODE_COUNT = 5


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def manifests():
    write("fuzz_manifest", "process-runner.toml",
          (REPO / "examples/process-runner/process-runner.toml").read_text())
    header = 'name = "test-actor"\ncomponent = "actor.wasm"\n'
    # From tests/unit/config/manifest_test.cpp (kFullManifest) and the error tests.
    write("fuzz_manifest", "full.toml", '''
name = "log-tailer"
version = "0.1.0"
description = "Runs tail -f and counts lines"
long_description = "A longer text."
component = "build/tailer.wasm"
save_chain = true

[init_state]
file = "/var/log/syslog"
count = 3
nested = { on = true, ratios = [0.5, 1.5] }

[limits]
init_timeout_ms = 5000
call_timeout_ms = 1000
memory_limit_mb = 64

[[handler]]
type = "runtime"

[[handler]]
type = "process"
allowed_programs = ["/usr/bin/tail", "bin/helper"]
allowed_paths = ["work", "/var/log"]
max_processes = 2
max_output_buffer = 65536
inherit_env = ["HOME", "LANG"]
kill_grace_ms = 500
cwd = "work"

[[handler]]
type = "environment"
allowed_vars = ["HOME"]

[[handler]]
type = "filesystem"
path = "data"

[[handler]]
type = "timing"
max_sleep_ms = 1000
min_sleep_ms = 10

[[handler]]
type = "random"
max_bytes = 4096
seed = 42

[permission_policy.process]
type = "restrict"
max_processes = 1
allowed_programs = ["/usr/bin/tail"]

[permission_policy.random]
type = "disallow"
''')
    write("fuzz_manifest", "init-state-file.toml", header + 'init_state = "state/initial.json"\n')
    write("fuzz_manifest", "init-state-nan.toml", header + "[init_state]\nratio = nan\n")
    write("fuzz_manifest", "bad-limit.toml", header + "[limits]\ncall_timeout_ms = 0\n")
    write("fuzz_manifest", "unknown-key.toml",
          header + '[[handler]]\ntype = "process"\nmax_proceses = 2\n')


def sample_events():
    """jsonl_test.cpp's sample chain: (parent, timestamp, type, description, data)."""
    events = []
    parent = None
    for timestamp, event_type, description, data in [
        (1000, "wasm/call", "init", bytes(range(16))),
        (1001, "wasm/result", None, b""),
        (1002, "theater:simple/process/spawn", 'quote " slash \\ newline \n \u00e9',
         b"\xff\x00\x7f\x80"),
    ]:
        digest = hashlib.sha256((parent or b"") + event_type.encode()).digest()
        events.append((digest, parent, timestamp, event_type, description, data))
        parent = digest
    return events


def encode_event(event):
    digest, parent, timestamp, event_type, description, data = event
    flags = (1 if parent else 0) | (2 if description is not None else 0)
    out = digest + bytes([flags]) + (parent or b"") + struct.pack("<Q", timestamp)
    out += struct.pack("<I", len(event_type.encode())) + event_type.encode()
    if description is not None:
        out += struct.pack("<I", len(description.encode())) + description.encode()
    return out + struct.pack("<I", len(data)) + data


def segments():
    encoded = [encode_event(e) for e in sample_events()]
    whole = b"".join(encoded)
    row = lambda count, offset, length: struct.pack("<QQQ", count, offset, length)
    write("fuzz_segment", "three-events", row(3, 0, len(whole)) + whole)
    write("fuzz_segment", "second-segment",
          row(2, len(encoded[0]), len(whole) - len(encoded[0])) + whole)
    write("fuzz_segment", "one-event", row(1, 0, len(encoded[0])) + encoded[0])
    write("fuzz_segment", "past-the-end", row(3, 0, len(whole) + 1) + whole)


def jsonl():
    import base64
    import json
    lines = []
    for digest, parent, timestamp, event_type, description, data in sample_events():
        lines.append(json.dumps({
            "hash": digest.hex(), "parent_hash": parent.hex() if parent else None,
            "event_type": event_type, "timestamp": timestamp, "description": description,
            "data": base64.b64encode(data).decode()}, separators=(",", ":")))
    write("fuzz_jsonl", "sample-chain.jsonl", "\n".join(lines) + "\n")
    write("fuzz_jsonl", "crlf.jsonl", "\r\n".join(lines) + "\r\n\r\n")
    # The documented line of jsonl_test.cpp.
    write("fuzz_jsonl", "documented.jsonl",
          '{"hash":"926d19375949ada7eb8b1993e7341f6c3ccfbaedd023f60967fa89ab199809fd",'
          '"parent_hash":null,"event_type":"wasm/call","timestamp":1700000000123,'
          '"description":null,"data":"AQID"}\n')
    write("fuzz_jsonl", "bad-base64.jsonl",
          '{"hash":"' + "a" * 64 + '","parent_hash":null,"event_type":"a/b","timestamp":1,'
          '"description":null,"data":"AQI*"}\n')


def abi():
    # Flat values: (pointer 16, length 2) pairs, read as i32 or widened;
    # memory: words alternating 16 and 2, then UTF-8 text.
    values = struct.pack("<IIII", 16, 2, 16, 2) * 18
    memory = struct.pack("<II", 16, 2) * 8 + "h\u00e9llo w\u00f6rld".encode() * 2
    for type_index in range(ABI_TYPE_COUNT):
        for mode in range(ABI_MODE_COUNT):
            write("fuzz_abi_lift", f"type{type_index:02d}-mode{mode}",
                  bytes([type_index, mode]) + values + memory)


if __name__ == "__main__":
    manifests()
    jsonl()
    segments()
    abi()
