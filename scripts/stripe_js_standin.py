#!/usr/bin/env python3
"""A stand-in for js.stripe.com (and api.stripe.com) for the checkout page's browser test: HTTPS with a
certificate it makes for those names, GET /v3/ serves a Stripe.js that records every call the page
makes (Stripe(key), elements({clientSecret}), create('payment'), mount(selector), confirmPayment(...))
by POSTing it to /__record, which appends it to RECORDS as a JSON line. No real Stripe call. Playing
the buyer, it presses the page's submit button once the element is mounted; confirmPayment then goes
to the return URL the way Stripe's redirect does. Prints `PORT <n>`; stops when stdin closes.
  stripe_js_standin.py RECORDS DIR"""
import http.server
import os
import signal
import ssl
import subprocess
import sys
import threading

signal.signal(signal.SIGTERM, signal.SIG_DFL)
records, directory = sys.argv[1], sys.argv[2]
os.makedirs(directory, exist_ok=True)
cert, key = os.path.join(directory, "stripe-cert.pem"), os.path.join(directory, "stripe-key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                "-subj", "/CN=js.stripe.com", "-addext", "subjectAltName=DNS:js.stripe.com,DNS:api.stripe.com"],
               check=True, capture_output=True)

STRIPE_JS = b"""
(function () {
  // Numbered here, in the page's order: the POSTs may arrive in another.
  var sequence = 0;
  function record(call, args) {
    sequence += 1;
    return fetch('https://api.stripe.com/__record', { method: 'POST', body: JSON.stringify({ seq: sequence, call: call, args: args }) });
  }
  window.Stripe = function (key) {
    record('Stripe', { key: key });
    var clientSecret = null;
    return {
      elements: function (options) {
        clientSecret = options && options.clientSecret;
        record('elements', options || {});
        return {
          create: function (type) {
            record('create', { type: type });
            return {
              mount: function (selector) {
                var node = document.querySelector(selector);
                record('mount', { selector: selector, found: !!node }).then(function () {
                  var button = document.querySelector('#payment-form button[type=submit]');
                  if (button) { button.click(); }
                });
              }
            };
          }
        };
      },
      confirmPayment: function (options) {
        var url = options && options.confirmParams && options.confirmParams.return_url;
        return record('confirmPayment', { return_url: url, has_elements: !!(options && options.elements) }).then(function () {
          var intent = (clientSecret || '').split('_secret_')[0];
          window.location.assign(url + (url.indexOf('?') < 0 ? '?' : '&') + 'payment_intent=' + intent + '&redirect_status=succeeded');
          return new Promise(function () {});
        });
      }
    };
  };
})();
"""
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def cors(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "*")

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript")
        self.send_header("Content-Length", str(len(STRIPE_JS)))
        self.end_headers()
        self.wfile.write(STRIPE_JS)

    def do_OPTIONS(self):
        self.send_response(204)
        self.cors()
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            with open(records, "ab") as f:
                f.write(body + b"\n")
        self.send_response(200)
        self.cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("PORT %d" % server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
