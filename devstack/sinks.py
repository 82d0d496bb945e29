"""Local stand-ins that keep what the platform sends, viewable in a browser and readable as JSON.

- SMTP sink: an SMTP server (aiosmtpd) on 127.0.0.1:1025 and its web inbox on 127.0.0.1:8025.
- WhatsApp sink: speaks the WhatsApp Cloud API (`POST /{version}/{phone_number_id}/messages`
  with a bearer token, JSON body with messaging_product=whatsapp, to, type text|template) and
  answers as Meta does; its page is on 127.0.0.1:8026.

Both: `GET /api/messages` lists what arrived (JSON: recipient, subject or template, text; for
e-mail also the raw message and its attachments), `DELETE /api/messages` clears, `GET /` shows it.
The WhatsApp sink can also play an outage: `POST /api/fail {"status": 503, "count": 2}`.

    python -m devstack.sinks [--smtp-port 1025] [--inbox-port 8025] [--whatsapp-port 8026]

Tests start their own on free ports (SmtpSink(...).start(), WhatsAppSink(...).start()).
"""
from __future__ import annotations

import argparse
import base64
import email
import email.policy
import itertools
import json
import os
import re
import secrets
import sys
import threading
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from devstack import ports
from devstack.httpserver import DevServer
from devstack.runner import Stack, Started, run_until_stopped, wait_http

HOST = "127.0.0.1"


class Store:
    """What a sink received, in arrival order; thread-safe."""

    def __init__(self):
        self._items: list[dict] = []
        self._lock = threading.Condition()
        self._ids = itertools.count(1)

    def add(self, item: dict) -> dict:
        with self._lock:
            item = {"id": next(self._ids), "received_at": datetime.now(UTC).isoformat(), **item}
            self._items.append(item)
            self._lock.notify_all()
        return item

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._items)

    def get(self, item_id: int) -> dict | None:
        return next((m for m in self.all() if m["id"] == item_id), None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# ---- HTTP plumbing shared by both sinks ------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    server_version = "doctorlive-sink"
    protocol_version = "HTTP/1.1"
    sink: _HttpSink  # set per server class

    def log_message(self, fmt: str, *args) -> None:  # quiet: the pages show what arrived
        pass

    def send_json(self, status: int, body, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, json.dumps(body, ensure_ascii=False, indent=1).encode(), "application/json", headers)

    def send_bytes(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.send_header("access-control-allow-origin", "*")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def read_body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/api/messages":
            self.send_json(200, self.sink.listing())
        elif path in ("/", "/index.html"):
            self.send_bytes(200, self.sink.page().encode(), "text/html; charset=utf-8")
        else:
            self.sink.get_extra(self, path)

    do_HEAD = do_GET

    def do_DELETE(self) -> None:
        if urlsplit(self.path).path == "/api/messages":
            self.sink.store.clear()
            self.send_bytes(204, b"", "text/plain")
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        self.sink.post(self, urlsplit(self.path).path)


class _HttpSink:
    def __init__(self, port: int, host: str = HOST):
        self.host, self.port = host, port
        self.store = Store()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start_http(self, port: int) -> ThreadingHTTPServer:
        handler = type(f"{type(self).__name__}Handler", (_Handler,), {"sink": self})
        server = DevServer((self.host, port), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name=f"{type(self).__name__}-http", daemon=True).start()
        return server

    def listing(self) -> list[dict]:
        return self.store.all()

    def get_extra(self, h: _Handler, path: str) -> None:
        h.send_json(404, {"error": "not found"})

    def post(self, h: _Handler, path: str) -> None:
        h.send_json(404, {"error": "not found"})

    def page(self) -> str:
        raise NotImplementedError


def _page(title: str, intro: str, rows: list[str]) -> str:
    body = "".join(rows) or "<p class=empty>Nothing received yet.</p>"
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8>
<meta http-equiv=refresh content=5><title>{escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}}
article{{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}}
pre{{white-space:pre-wrap;background:#f6f6f6;padding:.75rem;border-radius:6px}}
h2{{font-size:1.1rem;margin:.2rem 0}} .meta{{color:#555;font-size:.9rem}} .empty{{color:#777}}
a{{color:#0b5cad}}</style></head><body><h1>{escape(title)}</h1><p>{intro}</p>
<p><a href="/api/messages">JSON</a> · refreshes every 5 s · newest first</p>{body}</body></html>"""


# ---- SMTP sink -------------------------------------------------------------------------------

def parse_email(raw: bytes, mail_from: str = "", rcpt_tos: list[str] | None = None) -> dict:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    attachments, methods = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() == "text/calendar":
            methods.append(part.get_param("method"))
        if part.get_filename():
            payload = part.get_payload(decode=True) or b""
            maintype = part.get_content_maintype()
            is_text = maintype == "text" or part.get_content_subtype() in ("ics", "json")
            attachments.append({
                "filename": part.get_filename(), "content_type": part.get_content_type(),
                "size": len(payload),
                "content": payload.decode("utf-8", "replace") if is_text else base64.b64encode(payload).decode(),
                "encoding": "text" if is_text else "base64",
            })
    to = list(rcpt_tos) if rcpt_tos else ([a.addr_spec for a in msg["to"].addresses] if msg["to"] else [])
    return {
        "channel": "email", "from": mail_from or str(msg["from"] or ""), "to": to,
        "recipient": to[0] if to else "", "subject": str(msg["subject"] or ""),
        "message_id": str(msg["message-id"] or ""),
        "text": text.get_content() if text else "", "html": html.get_content() if html else "",
        "calendar_methods": [m for m in methods if m], "attachments": attachments,
        "raw": raw.decode("utf-8", "replace"),
    }


class SmtpSink(_HttpSink):
    """SMTP on `smtp_port`, web inbox and JSON on `port`."""

    def __init__(self, smtp_port: int = ports.SMTP_SINK, port: int = ports.INBOX, host: str = HOST):
        super().__init__(port, host)
        self.smtp_port = smtp_port
        self._controller = None

    def start(self) -> SmtpSink:
        self.start_smtp()
        self._server = self.start_http(self.port)
        return self

    def start_smtp(self) -> None:
        """(Re)start only the SMTP listener: tests stop it to play an outage."""
        import logging

        from aiosmtpd.controller import Controller

        # aiosmtpd logs conversations at DEBUG; the inbox is the one place the messages belong.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        store = self.store

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
                raw = envelope.original_content or envelope.content
                store.add(parse_email(raw if isinstance(raw, bytes) else raw.encode(),
                                      envelope.mail_from, list(envelope.rcpt_tos)))
                return "250 Message accepted for delivery"

        self._controller = Controller(Handler(), hostname=self.host, port=self.smtp_port,
                                      server_hostname="doctorlive-smtp-sink")
        self._controller.start()

    def stop_smtp(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def stop(self) -> None:
        self.stop_smtp()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def listing(self) -> list[dict]:
        return self.store.all()

    def get_extra(self, h: _Handler, path: str) -> None:
        m = re.fullmatch(r"/api/messages/(\d+)/raw", path)
        if m and (item := self.store.get(int(m.group(1)))):
            h.send_bytes(200, item["raw"].encode(), "message/rfc822",
                         {"content-disposition": f'inline; filename="message-{item["id"]}.eml"'})
            return
        m = re.fullmatch(r"/api/messages/(\d+)/attachments/(\d+)", path)
        if m and (item := self.store.get(int(m.group(1)))) and int(m.group(2)) < len(item["attachments"]):
            a = item["attachments"][int(m.group(2))]
            data = a["content"].encode() if a["encoding"] == "text" else base64.b64decode(a["content"])
            h.send_bytes(200, data, a["content_type"], {"content-disposition": f'attachment; filename="{a["filename"]}"'})
            return
        h.send_json(404, {"error": "not found"})

    def page(self) -> str:
        rows = []
        for m in reversed(self.store.all()):
            links = " ".join(f'<a href="/api/messages/{m["id"]}/attachments/{i}">{escape(a["filename"])}</a>'
                             for i, a in enumerate(m["attachments"]))
            rows.append(
                f"<article><h2>{escape(m['subject'])}</h2>"
                f"<div class=meta>to {escape(', '.join(m['to']))} · from {escape(m['from'])} · "
                f"{escape(m['received_at'])} · <a href=\"/api/messages/{m['id']}/raw\">raw</a>"
                f"{' · attachments: ' + links if links else ''}</div><pre>{escape(m['text'])}</pre></article>")
        return _page("doctor-live: e-mail inbox",
                     f"SMTP sink on {self.host}:{self.smtp_port}: every e-mail the platform sends lands here.",
                     rows)


# ---- WhatsApp Cloud API sink -----------------------------------------------------------------

def _meta_error(status: int, code: int, message: str, details: str = "") -> tuple[int, dict]:
    error = {"message": message, "type": "OAuthException", "code": code,
             "fbtrace_id": secrets.token_urlsafe(12)}
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return status, {"error": error}


def check_whatsapp_request(path: str, authorization: str | None, body: bytes) -> tuple[int, dict] | dict:
    """Validate like the Cloud API does; returns the stored item, or (status, error body)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _meta_error(401, 190, "Invalid OAuth access token - Cannot parse access token")
    m = re.fullmatch(r"/(v\d+\.\d+)/(\d+)/messages", path)
    if not m:
        return _meta_error(400, 100, "Unsupported post request. Object does not exist or does not "
                                     "support this operation", f"unexpected path {path}")
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return _meta_error(400, 100, "(#100) Invalid parameter", "the body is not JSON")
    if not isinstance(data, dict):
        return _meta_error(400, 100, "(#100) Invalid parameter", "the body must be a JSON object")
    if data.get("messaging_product") != "whatsapp":
        return _meta_error(400, 100, "(#100) The parameter messaging_product is required.",
                           "messaging_product must be \"whatsapp\"")
    to = str(data.get("to") or "")
    if not re.fullmatch(r"\+?\d{7,15}", to):
        return _meta_error(400, 100, "(#100) Invalid parameter", "to must be a phone number")
    kind = data.get("type", "text")
    item = {"channel": "whatsapp", "api_version": m.group(1), "phone_number_id": m.group(2),
            "recipient": to.lstrip("+"), "type": kind, "template": None, "parameters": [],
            "request": data}
    if kind == "text":
        text = (data.get("text") or {}).get("body")
        if not isinstance(text, str) or not text.strip():
            return _meta_error(400, 100, "(#100) The parameter text['body'] is required.")
        item["text"] = text
    elif kind == "template":
        template = data.get("template") or {}
        if not template.get("name") or not (template.get("language") or {}).get("code"):
            return _meta_error(400, 100, "(#100) Invalid parameter", "template name and language.code are required")
        params = [p.get("text", "") for c in template.get("components") or [] if c.get("type") == "body"
                  for p in c.get("parameters") or []]
        item.update(template=template["name"], language=template["language"]["code"], parameters=params,
                    text=" | ".join(params))
    else:
        return _meta_error(400, 100, "(#100) Invalid parameter", f"type {kind!r} is not supported here")
    return item


class WhatsAppSink(_HttpSink):
    def __init__(self, port: int = ports.WHATSAPP_SINK, host: str = HOST):
        super().__init__(port, host)
        self._failures: list[int] = []
        self._fail_lock = threading.Lock()

    def start(self) -> WhatsAppSink:
        self._server = self.start_http(self.port)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, count: int, status: int = 503) -> None:
        with self._fail_lock:
            self._failures = [status] * count

    def post(self, h: _Handler, path: str) -> None:
        body = h.read_body()
        if path == "/api/fail":
            spec = json.loads(body or b"{}")
            self.fail_next(int(spec.get("count", 1)), int(spec.get("status", 503)))
            h.send_json(200, {"failing_next": int(spec.get("count", 1))})
            return
        with self._fail_lock:
            failing = self._failures.pop(0) if self._failures else None
        if failing:
            status, error = _meta_error(failing, 131000 if failing < 500 else 1, "Something went wrong (sink outage)")
            h.send_json(status, error)
            return
        checked = check_whatsapp_request(path, h.headers.get("authorization"), body)
        if isinstance(checked, tuple):
            h.send_json(*checked)
            return
        wamid = "wamid." + base64.b64encode(secrets.token_bytes(24)).decode().rstrip("=")
        self.store.add({**checked, "wamid": wamid})
        h.send_json(200, {"messaging_product": "whatsapp",
                          "contacts": [{"input": checked["request"]["to"], "wa_id": checked["recipient"]}],
                          "messages": [{"id": wamid}]})

    def page(self) -> str:
        rows = []
        for m in reversed(self.store.all()):
            what = f"template {escape(m['template'])} ({escape(m.get('language', ''))})" if m["template"] else "text"
            rows.append(f"<article><h2>to +{escape(m['recipient'])}</h2><div class=meta>{what} · "
                        f"phone number id {escape(m['phone_number_id'])} · {escape(m['received_at'])} · "
                        f"{escape(m['wamid'])}</div><pre>{escape(m.get('text', ''))}</pre></article>")
        return _page("doctor-live: WhatsApp messages",
                     f"WhatsApp Cloud API sink: POST {escape(self.url)}/v21.0/&lt;phone_number_id&gt;/messages.",
                     rows)


# ---- dev stack -------------------------------------------------------------------------------

def dev_env(env: dict[str, str]) -> dict[str, str]:
    """Point the notifiers at the sinks unless real delivery is configured."""
    out: dict[str, str] = {}
    smtp = env.get("SINK_SMTP_PORT", str(ports.SMTP_SINK))
    whatsapp = env.get("SINK_WHATSAPP_PORT", str(ports.WHATSAPP_SINK))
    if not env.get("SMTP_HOST") and env.get("EMAIL_BACKEND", "smtp") == "smtp":
        out.update(SMTP_HOST=HOST, SMTP_PORT=smtp)
    if not env.get("WHATSAPP_TOKEN") and not env.get("WHATSAPP_SECRET_ARN"):
        out.update(WHATSAPP_API_BASE=f"http://{HOST}:{whatsapp}", WHATSAPP_TOKEN="dev-whatsapp-token",
                   WHATSAPP_PHONE_NUMBER_ID=env.get("WHATSAPP_PHONE_NUMBER_ID") or "100000000000001")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.sinks")
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("SINK_SMTP_PORT", ports.SMTP_SINK)))
    parser.add_argument("--inbox-port", type=int, default=int(os.environ.get("SINK_INBOX_PORT", ports.INBOX)))
    parser.add_argument("--whatsapp-port", type=int, default=int(os.environ.get("SINK_WHATSAPP_PORT", ports.WHATSAPP_SINK)))
    args = parser.parse_args(argv)
    smtp = SmtpSink(args.smtp_port, args.inbox_port).start()
    whatsapp = WhatsAppSink(args.whatsapp_port).start()
    print(f"sinks: SMTP {HOST}:{args.smtp_port}, inbox {smtp.url}, WhatsApp {whatsapp.url}", flush=True)
    run_until_stopped(smtp.stop, whatsapp.stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def start_dev(stack: Stack, env: dict[str, str], gateway_port: int) -> Started:
    """`make dev`'s hook: start the sinks (and the LiveKit stand-in when LIVEKIT_URL is unset);
    returns the lines to print and the settings that point the platform at them."""
    from devstack import livekit_stub

    smtp = env.get("SINK_SMTP_PORT", str(ports.SMTP_SINK))
    inbox = env.get("SINK_INBOX_PORT", str(ports.INBOX))
    whatsapp = env.get("SINK_WHATSAPP_PORT", str(ports.WHATSAPP_SINK))
    extra = dev_env(env)
    stack.spawn("sinks", "devstack.sinks", "--smtp-port", smtp, "--inbox-port", inbox, "--whatsapp-port", whatsapp)
    lines = [f"  E-mail inbox  http://{HOST}:{inbox}       (SMTP sink {HOST}:{smtp}; JSON /api/messages)"
             + ("" if "SMTP_HOST" in extra else "  [not used: SMTP_HOST is set]"),
             f"  WhatsApp      http://{HOST}:{whatsapp}       (WhatsApp Cloud API sink; JSON /api/messages)"
             + ("" if "WHATSAPP_API_BASE" in extra else "  [not used: WHATSAPP_TOKEN is set]")]
    if not env.get("LIVEKIT_URL"):
        port = int(env.get("LIVEKIT_STUB_PORT", ports.LIVEKIT_STUB))
        extra.update(livekit_stub.dev_env(env, port))
        # The secret by environment: a command line is readable by every user of the machine.
        stack.spawn("livekit stand-in", "devstack.livekit_stub", "--port", str(port), "--api-key",
                    extra["LIVEKIT_API_KEY"], "--webhook-url", f"http://{HOST}:{gateway_port}/webhooks/livekit",
                    env={"LIVEKIT_API_SECRET": extra["LIVEKIT_API_SECRET"]})
        wait_http(f"http://{HOST}:{port}/")
        lines.append(f"  LiveKit       http://{HOST}:{port}       (stand-in: rooms API and webhooks, no media; "
                     "set LIVEKIT_URL for real meetings)")
    else:
        lines.append(f"  LiveKit       {env['LIVEKIT_URL']}")
    wait_http(f"http://{HOST}:{inbox}/api/messages")
    wait_http(f"http://{HOST}:{whatsapp}/api/messages")
    return Started(lines, extra)
