"""The dev stack's HTTP server: http.server's threading server with a real listen backlog.

`socketserver` listens with a backlog of 5: past five connections waiting to be accepted, Linux
drops the rest of a burst (a page's parallel requests, a test's threads on a busy machine), and
those clients wait for SYN retransmissions, time out or are reset. Every server of the dev
stack (gateway, sinks, LiveKit stand-in, sites) is this one.
"""
from __future__ import annotations

from http.server import ThreadingHTTPServer

# Capped by the kernel's net.core.somaxconn (4096 on current Linux).
BACKLOG = 1024


class DevServer(ThreadingHTTPServer):
    request_queue_size = BACKLOG
    daemon_threads = True
