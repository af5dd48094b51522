#!/usr/bin/env python3
"""Runs localstripe (PyPI) on 127.0.0.1 only, on a free port, for tests.

Prints `PORT <n>` on stdout once it listens. Its state lives in /tmp/localstripe.pickle: run
one at a time and reset it with DELETE /_config/data. SIGTERM stops it (the default action is
restored, because a test runner may start us with it ignored)."""
import asyncio
import os
import signal
import socket
import sys
import threading

signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.SIG_DFL)

from aiohttp import web  # noqa: E402
import localstripe.server  # noqa: E402


async def main():
    runner = web.AppRunner(localstripe.server.app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock)
    await site.start()
    print("PORT", sock.getsockname()[1], flush=True)
    # Stop when the parent goes away (stdin closes), so a crashed test leaves nothing behind.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    await asyncio.Event().wait()


asyncio.run(main())
