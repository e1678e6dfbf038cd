#!/usr/bin/env python3
"""Independent verifier for Theater event chains exported as JSON Lines.

Written from DESIGN.md's "Event chain rule" alone; it shares no code with the
C++ implementation, so the two can check each other. Standard library only.

    usage: verify_chain.py [--actor ID] [--require-stop] FILE.jsonl

Each line: {"hash": hex, "parent_hash": hex|null, "event_type": str,
"timestamp": int, "description": str|null, "data": base64}.

    hash = SHA-256( parent_hash (32 zero bytes for the first event)
                    || u64le(timestamp)
                    || u32le(len(event_type)) || event_type
                    || u32le(len(description)) || description  (empty when none)
                    || u32le(len(data)) || data )

Exit 0 and "ok N events" when every hash and link holds; exit 1 naming the
first bad event (or malformed line); exit 2 on usage or I/O errors.

The runtime's conventions, checked on request as `theater verify` checks a
stored chain (src/chain/audit.h):
  --actor ID      the first event's data (a CBOR map) must bind "actor_id" ID;
                  another id, or none, is a mismatch (exit 1).
  --require-stop  a chain without a "theater-runtime/stopped" event is
                  incomplete (exit 3): the actor is still running, or was killed.
A hash or link fault outranks both.
"""

import base64
import binascii
import hashlib
import json
import struct
import sys


STOPPED_EVENT_TYPE = "theater-runtime/stopped"
ACTOR_ID_KEY = "actor_id"
EXIT_INCOMPLETE = 3


class BadChain(Exception):
    pass


class CborError(Exception):
    pass


def cbor_decode(raw: bytes):
    """The CBOR subset event data uses (RFC 8949: definite lengths only)."""
    value, end = _cbor_item(raw, 0, depth=0)
    if end != len(raw):
        raise CborError(f"{len(raw) - end} bytes after the value")
    return value


def _cbor_item(raw: bytes, at: int, depth: int):
    if depth > 64:
        raise CborError("nested too deeply")
    if at >= len(raw):
        raise CborError("truncated")
    major, info = raw[at] >> 5, raw[at] & 0x1F
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None, 23: None}
        if info in simple:
            return simple[info], at
        sizes = {25: (2, ">e"), 26: (4, ">f"), 27: (8, ">d")}
        if info not in sizes:
            raise CborError(f"unsupported simple value {info}")
        size, fmt = sizes[info]
        if at + size > len(raw):
            raise CborError("truncated")
        return struct.unpack(fmt, raw[at:at + size])[0], at + size
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(raw):
            raise CborError("truncated")
        argument = int.from_bytes(raw[at:at + size], "big")
        at += size
    else:
        raise CborError("indefinite or reserved length")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        if at + argument > len(raw):
            raise CborError("truncated")
        chunk = raw[at:at + argument]
        return (chunk if major == 2 else chunk.decode("utf-8", errors="replace")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _cbor_item(raw, at, depth + 1)
            items.append(item)
        return items, at
    if major == 5:
        entries = {}
        for _ in range(argument):
            key, at = _cbor_item(raw, at, depth + 1)
            value, at = _cbor_item(raw, at, depth + 1)
            if isinstance(key, (str, int)):
                entries[key] = value
        return entries, at
    # major 6: a tag, then its value
    return _cbor_item(raw, at, depth + 1)


def bound_actor_id(data: bytes):
    """The actor id the first event's data binds, or None."""
    try:
        value = cbor_decode(data)
    except CborError:
        return None
    if isinstance(value, dict) and isinstance(value.get(ACTOR_ID_KEY), str):
        return value[ACTOR_ID_KEY]
    return None


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


class ChainFacts:
    """What verify() learnt beyond the hashes: the first event's binding, the stop."""

    def __init__(self):
        self.actor_id = None
        self.first_hash = None
        self.stopped = False


def verify(lines, facts=None) -> int:
    """Returns the number of events; raises BadChain at the first bad one."""
    facts = facts if facts is not None else ChainFacts()
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
        if index == 0:
            facts.actor_id = bound_actor_id(event["data"])
            facts.first_hash = event["hash"]
        if event["event_type"] == STOPPED_EVENT_TYPE:
            facts.stopped = True
        previous = event["hash"]
        index += 1
    return index


def mismatch(expected: str, facts: ChainFacts):
    """The mismatch message when the chain does not bind `expected`, else None."""
    if facts.first_hash is None or facts.actor_id == expected:
        return None
    first = f"its first event (hash {facts.first_hash.hex()[:16]})"
    if facts.actor_id is None:
        return f"the chain of actor {expected} does not say whose it is: {first} binds no actor id"
    return (f"the chain of actor {expected} is actor {facts.actor_id}'s: "
            f"{first} binds actor {facts.actor_id}")


def parse_args(argv):
    """(path, expected actor id or None, require stop) or None on a usage error."""
    args = argv[1:]
    actor, require_stop, paths = None, False, []
    while args:
        arg = args.pop(0)
        if arg == "--actor" and args:
            actor = args.pop(0)
        elif arg == "--require-stop":
            require_stop = True
        elif arg.startswith("--"):
            return None
        else:
            paths.append(arg)
    return (paths[0], actor, require_stop) if len(paths) == 1 else None


def main(argv) -> int:
    parsed = parse_args(argv)
    if parsed is None:
        print("usage: verify_chain.py [--actor ID] [--require-stop] FILE.jsonl", file=sys.stderr)
        return 2
    path, actor, require_stop = parsed
    facts = ChainFacts()
    try:
        with open(path, encoding="utf-8") as file:
            count = verify(file, facts)
    except OSError as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as error:
        print(f"{path} is not UTF-8: {error}", file=sys.stderr)
        return 1
    except BadChain as error:
        print(f"bad chain: {error}")
        return 1
    wrong_actor = mismatch(actor, facts) if actor is not None else None
    if wrong_actor:
        print(f"mismatch: {wrong_actor}")
        return 1
    if require_stop and not facts.stopped:
        print(f"incomplete: {count} events verify, but the chain has no {STOPPED_EVENT_TYPE} event")
        return EXIT_INCOMPLETE
    print(f"ok {count} events")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
