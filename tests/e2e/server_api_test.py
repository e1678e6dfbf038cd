#!/usr/bin/python3
"""`theater server` end to end: the real server as a subprocess, real sockets,
THEATER_HOME a temporary folder; every endpoint but the messaging ones through
Python's standard library and through curl.

usage: server_api_test.py THEATER_BIN WASM_DIR PROCESS_RUNNER_WASM
"""
import base64
import http.client
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

THEATER, WASM_DIR, RUNNER_WASM = (os.path.abspath(a) for a in sys.argv[1:4])
del sys.argv[1:4]


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Server:
    def __init__(self, home, *args):
        self.home = home
        env = dict(os.environ, THEATER_HOME=home)
        self.out = open(os.path.join(os.path.dirname(home), "server.out"), "a+")
        self.proc = subprocess.Popen([THEATER, "server", *args], env=env,
                                     stdout=subprocess.PIPE, stderr=self.out, text=True)
        self.lines = [self.proc.stdout.readline()]
        assert "listening on unix:" in self.lines[0], self.lines
        self.socket = os.path.join(home, "theater.sock")
        self.port = None
        if "--listen" in args:
            line = self.proc.stdout.readline()
            self.port = int(line.split("http://")[1].split(" ")[0].rsplit(":", 1)[1])

    def request(self, method, path, body=None, headers=None):
        conn = UnixConnection(self.socket)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, response.getheader("Content-Type"), data

    def json(self, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        status, _, data = self.request(method, path,
                                       json.dumps(body) if body is not None else None, headers)
        return status, json.loads(data) if data else None

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        self.out.close()
        return code


def curl(*args):
    out = subprocess.run(["curl", "-s", "-w", "\n%{http_code}", *args],
                         capture_output=True, text=True, timeout=60).stdout
    body, _, code = out.rpartition("\n")
    return int(code), body


class ServerApiTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="theater-server-")
        self.home = os.path.join(self.tmp, "home")
        self.manifest = os.path.join(self.tmp, "actor.toml")
        with open(self.manifest, "w") as f:
            f.write('name = "lifecycle"\nversion = "0.1.0"\ncomponent = "%s/runtime_lifecycle_actor.wasm"\n'
                    % WASM_DIR)
        self.server = None

    def tearDown(self):
        if self.server and self.server.proc.poll() is None:
            self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_server(self, *args):
        self.server = Server(self.home, *args)
        return self.server

    def start_actor(self, state='"wait"', manifest=None):
        status, body = self.server.json("POST", "/v1/actors", {
            "manifest": manifest or self.manifest,
            "init_state": base64.b64encode(state.encode()).decode()})
        self.assertEqual(status, 201, body)
        return body["id"]

    def assert_error(self, status, body, expected):
        self.assertEqual(status, expected, body)
        self.assertIn("code", body["error"])
        self.assertIn("message", body["error"])

    def test_health_and_modes(self):
        s = self.start_server()
        status, body = s.json("GET", "/v1/health")
        self.assertEqual((status, body["status"]), (200, "ok"))
        self.assertIn("version", body)
        self.assertEqual(stat.S_IMODE(os.stat(self.home).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(s.socket).st_mode), 0o600)
        code, text = curl("--unix-socket", s.socket, "http://localhost/v1/health")
        self.assertEqual(code, 200)
        self.assertEqual(json.loads(text)["status"], "ok")

    def test_actor_lifecycle(self):
        s = self.start_server()
        actor = self.start_actor()
        status, listed = s.json("GET", "/v1/actors")
        self.assertEqual(status, 200)
        self.assertEqual([(a["id"], a["name"], a["status"], a["parent"]) for a in listed],
                         [(actor, "lifecycle", "running", None)])
        status, inspected = s.json("GET", "/v1/actors/" + actor[:8])  # a unique prefix
        self.assertEqual(status, 200)
        for key in ("id", "name", "status", "parent", "children", "manifest", "metrics"):
            self.assertIn(key, inspected)
        self.assertIn('name = "lifecycle"', inspected["manifest"])
        status, _, state = s.request("GET", "/v1/actors/%s/state" % actor)
        self.assertEqual((status, state), (200, b'"wait"'))
        self.assertEqual(s.json("POST", "/v1/actors/%s/pause" % actor),
                         (200, {"id": actor, "status": "paused"}))
        self.assert_error(*s.json("POST", "/v1/actors/%s/pause" % actor), 409)
        self.assertEqual(s.json("POST", "/v1/actors/%s/resume" % actor),
                         (200, {"id": actor, "status": "running"}))
        self.assert_error(*s.json("POST", "/v1/actors/%s/resume" % actor), 409)
        status, body = s.json("POST", "/v1/actors/%s/restart" % actor)
        self.assertEqual((status, body["status"]), (200, "running"))
        self.assertEqual(s.json("POST", "/v1/actors/%s/stop" % actor),
                         (200, {"id": actor, "status": "stopped"}))
        self.assert_error(*s.json("POST", "/v1/actors/%s/stop" % actor), 409)
        self.assert_error(*s.json("GET", "/v1/actors/%s/state" % actor), 409)
        status, kind, events = s.request("GET", "/v1/actors/%s/events" % actor)
        self.assertEqual((status, kind), (200, "application/x-ndjson"))
        lines = [json.loads(l) for l in events.decode().splitlines()]
        types = [e["event_type"] for e in lines]
        self.assertIn("theater-runtime/restart", types)
        for previous, event in zip(lines, lines[1:]):
            self.assertEqual(event["parent_hash"], previous["hash"])
        status, _, part = s.request("GET", "/v1/actors/%s/events?from=2&limit=3" % actor)
        self.assertEqual([json.loads(l) for l in part.decode().splitlines()], lines[2:5])
        self.assertEqual(s.stop(), 0)
        verify = subprocess.run([THEATER, "verify", actor], env=dict(os.environ, THEATER_HOME=self.home),
                                capture_output=True, text=True)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)

    def test_terminate_and_curl_control(self):
        s = self.start_server()
        actor = self.start_actor()
        base = ["--unix-socket", s.socket]
        code, body = curl(*base, "-X", "POST", "http://localhost/v1/actors/%s/pause" % actor)
        self.assertEqual((code, json.loads(body)["status"]), (200, "paused"))
        code, body = curl(*base, "-X", "POST", "http://localhost/v1/actors/%s/resume" % actor)
        self.assertEqual((code, json.loads(body)["status"]), (200, "running"))
        code, body = curl(*base, "-X", "POST", "http://localhost/v1/actors/%s/terminate" % actor)
        self.assertEqual(code, 200, body)
        self.assertIn(json.loads(body)["status"], ("stopped", "failed"))
        code, body = curl(*base, "http://localhost/v1/actors/%s/events?limit=1" % actor)
        self.assertEqual(code, 200)
        self.assertEqual(json.loads(body.splitlines()[0])["parent_hash"], None)
        code, body = curl(*base, "-H", "Content-Type: application/json", "-d",
                          json.dumps({"manifest": self.manifest, "init_state": None}),
                          "http://localhost/v1/actors")
        self.assertEqual(code, 201, body)

    def test_bad_requests(self):
        s = self.start_server("--max-body", "1000")
        self.assert_error(*s.json("GET", "/v1/nope"), 404)
        self.assert_error(*s.json("GET", "/v1/actors/0000dead"), 404)
        self.assert_error(*s.json("DELETE", "/v1/actors"), 405)
        status, _, data = s.request("GET", "/v1/actors", body=b"x", headers={"Content-Length": "1"})
        self.assert_error(status, json.loads(data), 400)
        status, _, data = s.request("POST", "/v1/actors", body=b"{}", headers={"Content-Type": "text/plain"})
        self.assert_error(status, json.loads(data), 415)
        self.assert_error(*s.json("POST", "/v1/actors", {"manifest": "name = 1\n"}), 400)
        self.assert_error(*s.json("POST", "/v1/actors", {"manifest": "/no/such.toml"}), 400)
        status, _, data = s.request("POST", "/v1/actors", body=b"\x00garbage{",
                                    headers={"Content-Type": "application/json"})
        self.assert_error(status, json.loads(data), 400)
        # Oversized: 413 as soon as the header says so, then the connection closes.
        with socket.socket(socket.AF_UNIX) as raw:
            raw.connect(s.socket)
            try:
                raw.sendall(b"POST /v1/actors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 5000\r\n\r\n" + b"x" * 5000)
            except OSError:
                pass  # the server may close before taking the whole body
            head, _, body = raw.recv(65536).partition(b"\r\n\r\n")
            self.assertIn(b" 413 ", head)
            self.assertEqual(json.loads(body)["error"]["code"], "payload_too_large")
        # Malformed HTTP: answered 400, the connection closed, the server fine.
        with socket.socket(socket.AF_UNIX) as raw:
            raw.connect(s.socket)
            raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            self.assertIn(b" 400 ", raw.recv(4096))
        # An inline manifest whose init fails leaves no actor behind.
        inline = open(self.manifest).read()
        status, body = s.json("POST", "/v1/actors", {
            "manifest": inline, "init_state": base64.b64encode(b'"fail"').decode()})
        self.assert_error(status, body, 400)
        self.assertEqual(s.json("GET", "/v1/actors"), (200, []))
        self.assertEqual(s.json("GET", "/v1/health")[0], 200)

    def test_ambiguous_prefix(self):
        s = self.start_server()
        ids = {self.start_actor() for _ in range(12)}
        first = {i[0] for i in ids}
        shared = next(c for c in first if sum(i.startswith(c) for i in ids) > 1)
        status, body = s.json("GET", "/v1/actors/" + shared)
        self.assert_error(status, body, 400)
        self.assertIn("ambiguous", body["error"]["message"])

    def test_tcp_needs_the_token(self):
        s = self.start_server("--listen", "127.0.0.1:0")
        token_path = os.path.join(self.home, "token")
        self.assertEqual(stat.S_IMODE(os.stat(token_path).st_mode), 0o600)
        token = open(token_path).read().strip()
        self.assertEqual(len(bytes.fromhex(token)), 32)
        url = "http://127.0.0.1:%d/v1/health" % s.port
        self.assertEqual(curl(url)[0], 401)
        self.assertEqual(curl("-H", "Authorization: Bearer " + "0" * 64, url)[0], 401)
        code, body = curl("-H", "Authorization: Bearer " + token, url)
        self.assertEqual(code, 200)
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", "/v1/actors", headers={"Authorization": "Bearer " + token})
        self.assertEqual(conn.getresponse().status, 200)
        self.assertEqual(s.stop(), 0)
        # The token is reused by the next server.
        s = self.start_server("--listen", "127.0.0.1:0")
        self.assertEqual(open(token_path).read().strip(), token)

    def test_live_socket_refused_stale_replaced(self):
        s = self.start_server()
        second = subprocess.run([THEATER, "server"], env=dict(os.environ, THEATER_HOME=self.home),
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(second.returncode, 1)
        self.assertIn("already listening", second.stderr)
        s.proc.kill()  # leaves its socket file behind
        s.proc.wait()
        self.assertTrue(os.path.exists(s.socket))
        s = self.start_server()
        self.assertEqual(s.json("GET", "/v1/health")[0], 200)

    def test_slow_loris_cut_off_others_served(self):
        s = self.start_server("--header-timeout-ms", "1000")
        with socket.socket(socket.AF_UNIX) as slow:
            slow.connect(s.socket)
            slow.settimeout(30)
            closed = False
            for byte in b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                self.assertEqual(s.json("GET", "/v1/health")[0], 200)
                time.sleep(0.1)
                slow.setblocking(False)
                try:
                    if slow.recv(1) == b"":
                        closed = True
                        break
                except BlockingIOError:
                    pass
                slow.setblocking(True)
            self.assertTrue(closed, "a header sent a byte at a time was not cut off")

    def test_idle_connections_and_limit(self):
        s = self.start_server("--max-connections", "510")
        idle = []
        for _ in range(500):
            c = socket.socket(socket.AF_UNIX)
            c.connect(s.socket)
            idle.append(c)
        self.assertEqual(s.json("GET", "/v1/health")[0], 200)
        more = [socket.socket(socket.AF_UNIX) for _ in range(20)]
        refused = 0
        for c in more:
            c.connect(s.socket)
        for c in more:
            c.settimeout(10)
            try:
                c.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            except OSError:
                pass  # refused connections are answered and closed at once
            if b" 429 " in c.recv(4096):
                refused += 1
        self.assertGreater(refused, 0)
        for c in idle + more:
            c.close()
        self.assertEqual(s.json("GET", "/v1/health")[0], 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
