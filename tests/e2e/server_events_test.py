#!/usr/bin/python3
"""`theater server` event streams and load: a follower that receives every
event of an actor appending over 100,000, a slow follower that gets `lagged`
and resumes from `next` with no gap and no duplicate, 50 clients starting and
stopping actors at once, SIGTERM during load (every chain verifies).

usage: server_events_test.py THEATER_BIN WASM_DIR PROCESS_RUNNER_WASM
"""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server_api_test as api  # noqa: E402  (reads argv)
from server_api_test import UnixConnection  # noqa: E402

RUNNER_WASM = api.RUNNER_WASM
LINES = 36000  # each output line is several events: well over 100,000


class ServerEventsTest(api.ServerApiTest):
    # Only this file's own tests run here (load_tests); the base's helpers are shared.

    def runner_manifest(self):
        path = os.path.join(self.tmp, "runner.toml")
        with open(path, "w") as f:
            f.write('name = "seq-runner"\nversion = "0.1.0"\ncomponent = "%s"\n'
                    '[[handler]]\ntype = "process"\n'
                    'allowed_programs = ["/usr/bin/seq", "/bin/seq"]\n'
                    'cwd = "."\nmax_processes = 1\n' % RUNNER_WASM)
        return path

    def start_seq(self, lines):
        state = json.dumps({"program": "/usr/bin/seq", "args": ["1", str(lines)]})
        return self.start_actor(state, manifest=self.runner_manifest())

    def stream(self, actor, query, slow=False):
        """The lines of one events stream, parsed; a slow reader waits first."""
        conn = UnixConnection(self.server.socket, timeout=120)
        conn.request("GET", "/v1/actors/%s/events?%s" % (actor, query))
        response = conn.getresponse()
        self.assertEqual(response.status, 200)
        if slow:
            time.sleep(3)  # the actor appends meanwhile; the stream's buffer fills
        lines = [json.loads(line) for line in response]
        conn.close()
        return lines

    def check_chain(self, events):
        for index, (previous, event) in enumerate(zip(events, events[1:])):
            self.assertEqual(event["parent_hash"], previous["hash"], "gap or duplicate at %d" % index)

    def follow_all(self, actor, slow_first=False):
        events, lagged, query_from, slow = [], 0, 0, slow_first
        while True:
            lines = self.stream(actor, "follow=true&from=%d" % query_from, slow=slow)
            slow = False
            if lines and "lagged" in lines[-1]:
                marker = lines.pop()
                self.assertEqual(marker["next"], query_from + len(lines))
                lagged += 1
                events += lines
                query_from = marker["next"]
                continue
            events += lines
            return events, lagged

    def test_follow_receives_every_event(self):
        self.start_server()
        actor = self.start_seq(LINES)
        events, _ = self.follow_all(actor)
        self.assertGreater(len(events), 100000)
        self.assertIsNone(events[0]["parent_hash"])
        self.assertEqual(events[-1]["event_type"], "theater-runtime/stopped")
        self.check_chain(events)
        status, _, stored = self.server.request("GET", "/v1/actors/%s/events" % actor)
        self.assertEqual(len(stored.decode().splitlines()), len(events))

    def test_slow_follower_lags_and_resumes(self):
        self.start_server("--follow-buffer", "65536")
        actor = self.start_seq(LINES)
        events, lagged = self.follow_all(actor, slow_first=True)
        self.assertGreater(lagged, 0)
        self.assertGreater(len(events), 100000)
        self.assertEqual(events[-1]["event_type"], "theater-runtime/stopped")
        self.check_chain(events)

    def test_fifty_clients_then_sigterm(self):
        s = self.start_server()
        ids, errors = [], []
        lock = threading.Lock()

        def client():
            try:
                for _ in range(2):
                    actor = self.start_actor()
                    status, _ = s.json("GET", "/v1/actors/" + actor)
                    assert status == 200, status
                    status, body = s.json("POST", "/v1/actors/%s/stop" % actor)
                    assert status == 200 and body["status"] == "stopped", body
                    with lock:
                        ids.append(actor)
                keep = self.start_actor()  # left running for the SIGTERM below
                with lock:
                    ids.append(keep)
            except Exception as e:  # noqa: BLE001  (reported below)
                with lock:
                    errors.append(repr(e))

        threads = [threading.Thread(target=client) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        # SIGTERM while more work arrives: each request is answered (200 or
        # 503) or finds the server gone.
        def load_client():
            for _ in range(20):
                try:
                    status = s.request("GET", "/v1/actors")[0]
                    assert status in (200, 503), status
                except OSError:
                    return

        load = [threading.Thread(target=load_client) for _ in range(4)]
        for t in load:
            t.start()
        self.assertEqual(s.stop(signal.SIGTERM), 0)
        for t in load:
            t.join()
        env = dict(os.environ, THEATER_HOME=self.home)
        for actor in ids:
            verify = subprocess.run([api.THEATER, "verify", actor], env=env, capture_output=True, text=True)
            self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)


def load_tests(loader, tests, pattern):
    names = [n for n in loader.getTestCaseNames(ServerEventsTest)
             if n not in loader.getTestCaseNames(api.ServerApiTest)]
    return unittest.TestSuite(ServerEventsTest(n) for n in names)


if __name__ == "__main__":
    unittest.main(verbosity=2)
