#!/usr/bin/env python3
"""Independent verifier for Theater event chains exported as JSON Lines.

Written from DESIGN.md's "Event chain rule" alone; it shares no code with the
C++ implementation, so the two can check each other. Standard library only.

    usage: verify_chain.py FILE.jsonl

Each line: {"hash": hex, "parent_hash": hex|null, "event_type": str,
"timestamp": int, "description": str|null, "data": base64}.

    hash = SHA-256( parent_hash (32 zero bytes for the first event)
                    || u64le(timestamp)
                    || u32le(len(event_type)) || event_type
                    || u32le(len(description)) || description  (empty when none)
                    || u32le(len(data)) || data )

Exit 0 and "ok N events" when every hash and link holds; exit 1 naming the
first bad event (or malformed line); exit 2 on usage or I/O errors.
"""

import base64
import binascii
import hashlib
import json
import struct
import sys


class BadChain(Exception):
    pass


def sized(raw: bytes) -> bytes:
    return struct.pack("<I", len(raw)) + raw


def event_hash(parent: bytes, timestamp: int, event_type: str, description, data: bytes) -> bytes:
    text = (description or "").encode("utf-8")
    message = (
        parent
        + struct.pack("<Q", timestamp)
        + sized(event_type.encode("utf-8"))
        + sized(text)
        + sized(data)
    )
    return hashlib.sha256(message).digest()


def hex32(value, field: str, where: str) -> bytes:
    if not isinstance(value, str):
        raise BadChain(f"{where}: field {field!r} is not a hex string")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise BadChain(f"{where}: field {field!r} is not hex: {value!r}") from None
    if len(raw) != 32:
        raise BadChain(f"{where}: field {field!r} is {len(raw)} bytes, expected 32")
    return raw


def parse_line(line: str, where: str):
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadChain(f"{where}: not JSON: {error}") from None
    if not isinstance(record, dict):
        raise BadChain(f"{where}: not a JSON object")
    for field in ("hash", "event_type", "timestamp", "data"):
        if field not in record:
            raise BadChain(f"{where}: missing field {field!r}")
    timestamp = record["timestamp"]
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or not 0 <= timestamp < 2**64:
        raise BadChain(f"{where}: timestamp {timestamp!r} is not a u64")
    if not isinstance(record["event_type"], str):
        raise BadChain(f"{where}: event_type is not a string")
    description = record.get("description")
    if description is not None and not isinstance(description, str):
        raise BadChain(f"{where}: description is neither a string nor null")
    try:
        data = base64.b64decode(record["data"], validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise BadChain(f"{where}: data is not base64: {error}") from None
    parent = record.get("parent_hash")
    return {
        "hash": hex32(record["hash"], "hash", where),
        "parent": None if parent is None else hex32(parent, "parent_hash", where),
        "timestamp": timestamp,
        "event_type": record["event_type"],
        "description": description,
        "data": data,
    }


def verify(lines) -> int:
    """Returns the number of events; raises BadChain at the first bad one."""
    previous = None
    index = 0
    for line_number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line:
            continue
        where = f"line {line_number}"
        event = parse_line(line, where)
        name = f"event {index} ({where}, hash {event['hash'].hex()})"
        if previous is None and event["parent"] is not None:
            raise BadChain(f"{name}: first event has a parent")
        if previous is not None and event["parent"] != previous:
            found = "none" if event["parent"] is None else event["parent"].hex()
            raise BadChain(f"{name}: broken link: parent is {found}, previous hash is {previous.hex()}")
        parent = event["parent"] or bytes(32)
        expected = event_hash(parent, event["timestamp"], event["event_type"],
                              event["description"], event["data"])
        if expected != event["hash"]:
            raise BadChain(f"{name}: hash mismatch: recomputed {expected.hex()}")
        previous = event["hash"]
        index += 1
    return index


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: verify_chain.py FILE.jsonl", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as file:
            count = verify(file)
    except OSError as error:
        print(f"cannot read {argv[1]}: {error}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as error:
        print(f"{argv[1]} is not UTF-8: {error}", file=sys.stderr)
        return 1
    except BadChain as error:
        print(f"bad chain: {error}")
        return 1
    print(f"ok {count} events")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
