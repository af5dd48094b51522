#!/usr/bin/env python3
"""A throwaway PostgreSQL server for tests (Debian's binaries): a new cluster in a temporary folder,
trust authentication for the `postgres` user, listening on 127.0.0.1 on a free port. Prints
`PORT <n>` once it accepts connections; when stdin closes (or on SIGTERM) it stops the server and
removes the folder, so the server cannot outlive the test that started it.
initdb refuses to run as root, so as root the cluster belongs to, and runs as, the `postgres` user.
  postgres_server.py [--tls CERT.pem]   TLS on, with a new self-signed certificate for 127.0.0.1 written to CERT.pem"""
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
if not versions:
    sys.exit("postgres_server: PostgreSQL is not installed (apt-get install postgresql)")
bin_dir = versions[-1]
folder = tempfile.mkdtemp(prefix="payrecon-pg-")
data = os.path.join(folder, "data")
demote = None
if os.getuid() == 0:
    user = pwd.getpwnam("postgres")
    os.chown(folder, user.pw_uid, user.pw_gid)

    def demote():
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)


def run(*command):
    done = subprocess.run(command, preexec_fn=demote, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        sys.exit("postgres_server: %s failed:\n%s" % (command[0], done.stdout.decode(errors="replace")))


run(os.path.join(bin_dir, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
tls = []
if len(sys.argv) > 2 and sys.argv[1] == "--tls":
    cert, key = os.path.join(folder, "server.crt"), os.path.join(folder, "server.key")
    run("/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert)
    shutil.copyfile(cert, sys.argv[2])
    tls = ["-c", "ssl=on", "-c", "ssl_cert_file=" + cert, "-c", "ssl_key_file=" + key]
log = open(os.path.join(folder, "log"), "wb")
server = subprocess.Popen(
    [os.path.join(bin_dir, "postgres"), "-D", data, "-p", str(port), "-k", folder,
     "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"] + tls,
    preexec_fn=demote, stdout=log, stderr=log, stdin=subprocess.DEVNULL)


def stop(*_):
    if server.poll() is None:
        server.send_signal(signal.SIGINT)  # fast shutdown: sessions are ended, nothing is kept
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
ready = os.path.join(bin_dir, "pg_isready")
for _ in range(600):
    if server.poll() is not None:
        log.flush()
        sys.stderr.write(open(os.path.join(folder, "log"), errors="replace").read())
        shutil.rmtree(folder, ignore_errors=True)
        sys.exit("postgres_server: the server exited while starting")
    if subprocess.run([ready, "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:
        break
    time.sleep(0.1)
else:
    server.kill()
    stop()
print("PORT", port, flush=True)
sys.stdin.read()
stop()
