#!/usr/bin/env python3
"""A Stripe stand-in that misbehaves on purpose, for the client's retry and breaker tests. Each GET
/v1/<scenario>/<key> counts its attempts per key and answers as the scenario says for that attempt:
  retry_after   429 with Retry-After: 1, then 200
  five_hundred  500, 500, then 200
  conflict      409, then 200
  no_retry      500 with Stripe-Should-Retry: false (the client must not try again)
  must_retry    400 with Stripe-Should-Retry: true, then 200
  reset         headers and part of the body, then the connection closed; then 200
  slow          no answer for 3 s (longer than the test's timeout), then 200
  restricted    403 as Stripe answers a restricted key without the permission
  down          503 until GET /_up/<key>, 200 after
GET /_count/<key> answers the attempts seen for <key>. Prints `PORT <n>`; stops when stdin closes."""
import http.server
import json
import signal
import sys
import threading
import time

signal.signal(signal.SIGTERM, signal.SIG_DFL)
counts = {}
up = set()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_misbehaving")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[0] == "_count":
            with lock:
                return self.reply(200, {"count": counts.get(parts[1], 0)})
        if parts[0] == "_up":
            with lock:
                up.add(parts[1])
            return self.reply(200, {})
        scenario, key = parts[1], parts[2]
        with lock:
            counts[key] = counts.get(key, 0) + 1
            attempt = counts[key]
        ok = {"object": "thing", "attempt": attempt}
        fail = {"error": {"type": "api_error", "message": "misbehaving on purpose"}}
        if scenario == "retry_after" and attempt == 1:
            return self.reply(429, {"error": {"type": "invalid_request_error", "code": "rate_limit", "message": "slow down"}},
                              [("Retry-After", "1")])
        if scenario == "five_hundred" and attempt <= 2:
            return self.reply(500, fail)
        if scenario == "conflict" and attempt == 1:
            return self.reply(409, {"error": {"type": "invalid_request_error", "code": "lock_timeout", "message": "busy"}})
        if scenario == "no_retry":
            return self.reply(500, fail, [("Stripe-Should-Retry", "false")])
        if scenario == "must_retry" and attempt == 1:
            return self.reply(400, {"error": {"type": "invalid_request_error", "message": "try again"}}, [("Stripe-Should-Retry", "true")])
        if scenario == "reset" and attempt == 1:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"object": "thi')
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if scenario == "slow" and attempt == 1:
            time.sleep(3)
            return self.reply(200, ok)
        if scenario == "restricted":
            return self.reply(403, {"error": {"type": "invalid_request_error", "message":
                "The provided key 'rk_test_***abcd' does not have the required permissions for this endpoint on account "
                "'acct_1'. Having the 'rak_charge_read' permission would allow this request to continue."}})
        if scenario == "down":
            with lock:
                healthy = key in up
            if not healthy:
                return self.reply(503, fail)
        return self.reply(200, ok)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print("PORT %d" % server.server_address[1], flush=True)
sys.stdin.read()
