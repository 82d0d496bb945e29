"""The static web apps in the dev stack, served as CloudFront serves them in the cloud: the room
site (a Vite build, `room-site/dist`) on 127.0.0.1:8080 and the admin site (a Vite build,
`admin-site/dist`) on 127.0.0.1:8081.

- Files from the site's folder; `/assets/*` are content-hashed, cached forever.
- SPA routing: any other unknown path answers `/index.html` (200), so `/join?token=…` and
  `/room/…` load the app.
- `/config.json` is generated (the API and LiveKit URLs of this stack), never taken from the
  build: one build serves every environment.
- The security headers the cloud distribution sends (see `security_headers`), so a page that
  works here works there: no referrer (the magic link carries a token), no framing, a CSP that
  lets the page talk only to the servers in its config (API, LiveKit) and any `--connect` origin,
  and play media only from itself and any `--media` source (the recordings bucket).

    python -m devstack.sites build                 # both sites: npm ci / npm run build when stale
    python -m devstack.sites serve --root room-site/dist --port 8080 --config '{"apiUrl": ...}'
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from devstack import ports
from devstack.httpserver import DevServer
from devstack.redact import scrub
from devstack.runner import Stack, Started, run_until_stopped, wait_http

REPO = Path(__file__).resolve().parents[1]
ROOM_SITE = REPO / "room-site"
ADMIN_SITE = REPO / "admin-site"
HOST = "127.0.0.1"
ROOM_SITE_PORT = ports.ROOM_SITE
ADMIN_SITE_PORT = ports.ADMIN_SITE

# What a build depends on: a change to any of these makes dist/ stale.
_BUILD_INPUTS = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts",
                 "tsconfig.json", "tsconfig.app.json", "tsconfig.node.json")


# ---- building ----------------------------------------------------------------------------------

def _newest_mtime(paths: list[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            for f in path.rglob("*"):
                if f.is_file():
                    newest = max(newest, f.stat().st_mtime)
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def needs_install(site: Path = ROOM_SITE) -> bool:
    """npm ci writes node_modules/.package-lock.json; older than the lock file = out of date."""
    marker = site / "node_modules" / ".package-lock.json"
    return not marker.exists() or marker.stat().st_mtime < (site / "package-lock.json").stat().st_mtime


def is_stale(site: Path = ROOM_SITE) -> bool:
    index = site / "dist" / "index.html"
    if not index.exists():
        return True
    return _newest_mtime([site / p for p in _BUILD_INPUTS]) > index.stat().st_mtime


def build(site: Path = ROOM_SITE, *, force: bool = False, log=print) -> bool:
    """`npm ci` when node_modules is missing or older than package-lock.json, then `npm run build`
    when dist/ is missing or older than its sources. Returns True when it built."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: the room site needs Node 20 and npm to build")
    if needs_install(site):
        log(f"{site.name}: npm ci")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=site, check=True)
    if not force and not is_stale(site):
        return False
    log(f"{site.name}: npm run build")
    subprocess.run([npm, "run", "build", "--silent"], cwd=site, check=True)
    return True


# ---- serving -----------------------------------------------------------------------------------

def _origins(url: str) -> list[str]:
    """CSP sources for a server the page talks to over HTTP and WebSocket (LiveKit uses both)."""
    if not url:
        return []
    parts = urlsplit(url)
    if not parts.netloc:
        return []
    secure = parts.scheme in ("https", "wss")
    sources = [f"{'https' if secure else 'http'}://{parts.netloc}", f"{'wss' if secure else 'ws'}://{parts.netloc}"]
    if parts.hostname and parts.hostname.endswith(".livekit.cloud"):
        # LiveKit Cloud hands out regional hosts of the project (region pinning, failover).
        sources += ["https://*.livekit.cloud", "wss://*.livekit.cloud"]
    return sources


def bucket_source(endpoint: str, bucket: str) -> str:
    """The CSP source of one bucket's objects as the platform's S3 client addresses them (path
    style, doctorlive/aws.py): `<endpoint>/<bucket>/`, which admits that bucket's keys and no
    other bucket on the same endpoint."""
    parts = urlsplit(endpoint)
    if not parts.scheme or not parts.netloc or not bucket or any(c in bucket for c in " ;,'*/"):
        raise ValueError(f"not an S3 endpoint and bucket: {endpoint!r} {bucket!r}")
    return f"{parts.scheme}://{parts.netloc}/{bucket}/"


def security_headers(config: dict, connect_to: tuple[str, ...] = (),
                     media_from: tuple[str, ...] = ()) -> dict[str, str]:
    """The headers of every response; connect-src = the URLs in the config + `connect_to`;
    media-src = the page's own and `media_from` (CSP sources as given, e.g. `bucket_source`:
    the admin site plays recordings from their presigned URLs)."""
    urls = [v for v in config.values() if isinstance(v, str)] + list(connect_to)
    connect = " ".join(dict.fromkeys(["'self'", *(o for url in urls for o in _origins(url))]))
    for source in media_from:
        if not source or any(c in source for c in " ;,'*"):
            raise ValueError(f"not one CSP source without wildcards: {source!r}")
    media = " ".join(dict.fromkeys(["'self'", "blob:", "data:", *media_from]))
    csp = "; ".join([
        "default-src 'self'", "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # React and LiveKit components set style attributes
        "img-src 'self' data: blob:", f"media-src {media}", "font-src 'self' data:",
        f"connect-src {connect}", "worker-src 'self' blob:", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ])
    return {
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(self), microphone=(self), display-capture=(self), fullscreen=(self)",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


class StaticSite:
    """One built single-page app on host:port, in a background thread."""

    def __init__(self, root: Path, config: dict, *, port: int = 0, host: str = HOST,
                 connect_to: tuple[str, ...] = (), media_from: tuple[str, ...] = ()):
        self.root = root.resolve()
        self.config = config
        self.headers = security_headers(config, connect_to, media_from)
        self.host = host
        self._server = self._make_server(port)
        self.port = self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> StaticSite:
        threading.Thread(target=self._server.serve_forever, name=f"site-{self.port}", daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def resolve(self, url_path: str) -> tuple[Path | None, str]:
        """(file, cache policy) for a request path; None = 404."""
        path = unquote(url_path)
        candidate = (self.root / path.lstrip("/")).resolve()
        inside = candidate == self.root or self.root in candidate.parents
        if inside and candidate.is_file():
            return candidate, "public, max-age=31536000, immutable" if path.startswith("/assets/") else "no-cache"
        if path.startswith("/assets/"):
            return None, "no-store"  # a missing chunk is a 404, not the app's HTML
        return self.root / "index.html", "no-cache"

    def _make_server(self, port: int) -> ThreadingHTTPServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "doctorlive-site"
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                if os.environ.get("SITES_ACCESS_LOG") == "1":  # scrubbed: old links carry ?token=
                    sys.stderr.write(f"site: {self.address_string()} {scrub(fmt % args)}\n")

            def _send(self, status: int, data: bytes, content_type: str, cache: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", cache)
                for k, v in site.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def do_GET(self):
                path = urlsplit(self.path).path or "/"
                if path == "/config.json":
                    self._send(200, json.dumps(site.config).encode(), "application/json", "no-store")
                    return
                file, cache = site.resolve(path)
                if file is None or not file.exists():
                    self._send(404, b"not found\n", "text/plain; charset=utf-8", "no-store")
                    return
                ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
                    ctype += "; charset=utf-8"
                self._send(200, file.read_bytes(), ctype, cache)

            do_HEAD = do_GET

        server = DevServer((self.host, port), Handler)
        server.daemon_threads = True
        return server


def room_site_config(api_url: str, livekit_url: str = "") -> dict:
    return {"apiUrl": api_url.rstrip("/"), "livekitUrl": livekit_url}


def admin_site_config(api_url: str) -> dict:
    return {"apiUrl": api_url.rstrip("/")}


# ---- make dev ----------------------------------------------------------------------------------

def start_dev(stack: Stack, env: dict[str, str], gateway_port: int) -> Started:
    """`make dev`'s hook: build the room site if needed, serve both sites; returns the lines to
    print. `env`: the stack's, with the LiveKit settings final (the room site is told which
    server to use)."""
    api_url = f"http://{HOST}:{gateway_port}"
    lines = []
    room_port = int(env.get("ROOM_SITE_PORT", ROOM_SITE_PORT))
    try:
        build()
        config = room_site_config(api_url, env.get("LIVEKIT_PUBLIC_URL") or env.get("LIVEKIT_URL", ""))
        stack.spawn("room site", "devstack.sites", "serve", "--root", str(ROOM_SITE / "dist"),
                    "--port", str(room_port), "--config", json.dumps(config))
        wait_http(f"http://{HOST}:{room_port}/config.json")
        lines.append(f"  Room site     http://{HOST}:{room_port}       (invitation links in the e-mails open here)")
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        lines.append(f"  Room site     not started: {exc}")
    admin_port = int(env.get("ADMIN_SITE_PORT", ADMIN_SITE_PORT))
    try:
        build(ADMIN_SITE)
        # The admin site uploads PDFs straight to S3 (LocalStack here) with presigned POSTs,
        # and plays recordings from presigned GETs of the recordings bucket.
        aws = env.get("AWS_ENDPOINT_URL") or env.get("LOCALSTACK_URL") or ""
        recordings = env.get("RECORDINGS_BUCKET", "")
        stack.spawn("admin site", "devstack.sites", "serve", "--root", str(ADMIN_SITE / "dist"),
                    "--port", str(admin_port), "--config", json.dumps(admin_site_config(api_url)),
                    *(["--connect", aws] if aws else []),
                    *(["--media", bucket_source(aws, recordings)] if aws and recordings else []))
        wait_http(f"http://{HOST}:{admin_port}/config.json")
        lines.append(f"  Admin site    http://{HOST}:{admin_port}")
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        lines.append(f"  Admin site    not started: {exc}")
    return Started(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.sites")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the room and admin sites when missing or stale")
    b.add_argument("--force", action="store_true")
    s = sub.add_parser("serve", help="serve a built site with a generated /config.json")
    s.add_argument("--root", type=Path, default=ROOM_SITE / "dist")
    s.add_argument("--port", type=int, default=ROOM_SITE_PORT)
    s.add_argument("--config", type=json.loads, default=None,
                   help='the /config.json to serve (JSON); default: the room site\'s, for the local API')
    s.add_argument("--connect", action="append", default=[], help="another origin the page may connect to")
    s.add_argument("--media", action="append", default=[],
                   help="a CSP source the page may play media from (e.g. http://127.0.0.1:4566/<bucket>/)")
    args = parser.parse_args(argv)
    if args.command == "build":
        for site in (ROOM_SITE, ADMIN_SITE):
            built = build(site, force=args.force)
            print(f"{site.name}: built" if built else f"{site.name}: dist/ is up to date", flush=True)
        return 0
    if not (args.root / "index.html").exists():
        print(f"{args.root}/index.html is missing (room site: `python -m devstack.sites build`)", file=sys.stderr)
        return 1
    config = args.config if args.config is not None else room_site_config(
        f"http://127.0.0.1:{ports.GATEWAY}", os.environ.get("LIVEKIT_PUBLIC_URL") or os.environ.get("LIVEKIT_URL", ""))
    site = StaticSite(args.root, config, port=args.port, connect_to=tuple(args.connect),
                      media_from=tuple(args.media)).start()
    print(f"site {args.root.name}: {site.url} (config {json.dumps(config)})", flush=True)
    run_until_stopped(site.stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
