#!/usr/bin/env python3
"""A local SMTP sink for tests (aiosmtpd): every message received is written to DIR as
<n>.eml. Prints `PORT <n>` once it listens on 127.0.0.1; stops when stdin closes.
  smtp_sink.py DIR [CERT KEY]   with a certificate: offers STARTTLS and refuses mail without it."""
import os
import signal
import socket
import ssl
import sys

signal.signal(signal.SIGTERM, signal.SIG_DFL)
from aiosmtpd.controller import Controller  # noqa: E402

directory = sys.argv[1]
os.makedirs(directory, exist_ok=True)


class Sink:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        path = os.path.join(directory, "%d.eml" % Sink.count)
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))).encode())
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
tls = {}
if len(sys.argv) > 3:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    tls = {"tls_context": context, "require_starttls": True}
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **tls)
controller.start()
print("PORT", port, flush=True)
sys.stdin.read()
controller.stop()
