#!/usr/bin/env python3
"""Keeps N connections open to a server for SECONDS: half idle, half sending a request one
byte per second that never ends (slow loris). The server times such connections out (5 s idle,
10 s for a request head); each one it closes is opened again at once, so N stay open the whole
time. Companion of api_bench.sh (whose own idle clients are not reopened once timed out).

Usage: python3 bench/slow_clients.py PORT [N=1000] [SECONDS=60]
"""
import selectors
import socket
import sys
import time

port = int(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 60
sel = selectors.DefaultSelector()
slow = {}  # socket -> is slow
reopened = 0


def open_one(is_slow):
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    slow[s] = is_slow
    if is_slow:
        s.send(b"G")


for i in range(n):
    open_one(i % 2 == 1)
print("open", len(slow), flush=True)
t0 = time.time()
last_tick = t0
while time.time() - t0 < seconds:
    for key, _ in sel.select(timeout=0.2):
        s = key.fileobj
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if not data:  # closed by the server: open another in its place
            is_slow = slow.pop(s)
            sel.unregister(s)
            s.close()
            open_one(is_slow)
            reopened += 1
    if time.time() - last_tick >= 1:
        last_tick = time.time()
        for s, is_slow in list(slow.items()):
            if is_slow:
                try:
                    s.send(b"x")
                except OSError:
                    pass
print("open", len(slow), "reopened", reopened, flush=True)
