#!/usr/bin/env python3
"""A local HTTP receiver for supplier notifications in tests: every POST body is written to DIR
as <n>.json with its headers. The first FAIL requests are answered 503, to exercise retries.
Prints `PORT <n>` once it listens on 127.0.0.1; stops when stdin closes."""
import http.server
import json
import os
import signal
import sys
import threading

signal.signal(signal.SIGTERM, signal.SIG_DFL)
directory = sys.argv[1]
fail = int(sys.argv[2]) if len(sys.argv) > 2 else 0
os.makedirs(directory, exist_ok=True)
state = {"seen": 0, "stored": 0}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            state["seen"] += 1
            failing = state["seen"] <= fail
            if not failing:
                state["stored"] += 1
                n = state["stored"]
        if failing:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        record = {"path": self.path, "headers": dict(self.headers), "body": body.decode("utf-8")}
        path = os.path.join(directory, "%d.json" % n)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("PORT", server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
