"""A stand-in for a LiveKit server's API, for tests and `make dev` when LIVEKIT_URL is unset.

It speaks LiveKit's Twirp protocol as livekit-api's RoomService client uses it:
`POST /twirp/livekit.RoomService/<Method>` with a binary protobuf body (JSON also accepted), a
bearer JWT signed with the API secret (HS256, `iss` = API key, video grants checked), errors as
JSON `{"code", "msg"}`. Rooms and participants live in memory. It does not carry media: a browser
cannot hold a meeting through it (point LIVEKIT_URL at LiveKit Cloud or a LiveKit server for that).

It can also send LiveKit's webhooks, signed as LiveKit signs them, to `--webhook-url`: on
CreateRoom (room_started), DeleteRoom (participant_left…, room_finished), and when a
participant is simulated joining or leaving:

    POST   /api/rooms/{room}/participants            {"identity": "participant_…", "name": "Ana"}
    DELETE /api/rooms/{room}/participants/{identity}
    GET    /api/rooms        GET|DELETE /api/calls (what the Twirp API was asked)

Egress: a CreateRoom carrying `egress.room` (RoomEgress, as the platform asks when a meeting is
recorded) starts a room-composite egress, as LiveKit does; EgressService's
StartRoomCompositeEgress, ListEgress and StopEgress are answered. An egress sends
`egress_started`; ending it (StopEgress, DeleteRoom, or `POST /api/egress/{id}/stop`) writes a
small object to its S3 upload target (bucket, endpoint and keys of the request: LocalStack in
dev and tests) and sends `egress_ended` with the file's key, size and duration, so the
recording row points at a real object. `GET /api/egress` lists them.

AgentDispatchService (CreateDispatch, DeleteDispatch, ListDispatch) is answered too, and a
CreateRoom carrying `agents` records one dispatch per agent, as LiveKit does when it creates the
room (`/api/rooms` lists them). No worker is actually reached: agents register with a real
LiveKit server over its WebSocket protocol, which this stand-in does not speak.

    LIVEKIT_API_SECRET=... python -m devstack.livekit_stub [--port 7880] [--api-key devkey] [--webhook-url URL]

The API secret comes from the environment (LIVEKIT_API_SECRET, else the dev default), never from
the command line: every user of the machine can read a process's argv (`ps`), not its environment.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import queue
import re
import secrets
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from devstack import ports
from devstack.httpserver import DevServer
from devstack.runner import run_until_stopped

HOST = "127.0.0.1"
DEV_API_KEY = "devkey"
DEV_API_SECRET = "doctorlive-dev-livekit-secret-0123456789abcdef"

# (service, method): (protocol module, request type, grant the token needs)
_METHODS = {
    ("RoomService", "CreateRoom"): ("room", "CreateRoomRequest", "roomCreate"),
    ("RoomService", "DeleteRoom"): ("room", "DeleteRoomRequest", "roomCreate"),
    ("RoomService", "ListRooms"): ("room", "ListRoomsRequest", "roomList"),
    ("RoomService", "ListParticipants"): ("room", "ListParticipantsRequest", "roomAdmin"),
    ("RoomService", "RemoveParticipant"): ("room", "RoomParticipantIdentity", "roomAdmin"),
    ("Egress", "StartRoomCompositeEgress"): ("egress", "RoomCompositeEgressRequest", "roomRecord"),
    ("Egress", "ListEgress"): ("egress", "ListEgressRequest", "roomRecord"),
    ("Egress", "StopEgress"): ("egress", "StopEgressRequest", "roomRecord"),
    ("AgentDispatchService", "CreateDispatch"): ("agent_dispatch", "CreateAgentDispatchRequest", "roomAdmin"),
    ("AgentDispatchService", "DeleteDispatch"): ("agent_dispatch", "DeleteAgentDispatchRequest", "roomAdmin"),
    ("AgentDispatchService", "ListDispatch"): ("agent_dispatch", "ListAgentDispatchRequest", "roomAdmin"),
}
_STATUS = {"unauthenticated": 401, "permission_denied": 403, "not_found": 404, "bad_route": 404,
           "malformed": 400, "invalid_argument": 400, "already_exists": 409, "internal": 500,
           "failed_precondition": 412}


class TwirpError(Exception):
    def __init__(self, code: str, msg: str):
        super().__init__(msg)
        self.code, self.msg = code, msg


def signed_webhook(event, api_key: str, api_secret: str) -> tuple[str, str]:
    """(body, Authorization header value) of a webhook as LiveKit sends it: protojson body and a
    JWT whose sha256 claim is the body's base64 SHA-256. `event` is a WebhookEvent or a dict."""
    from google.protobuf.json_format import MessageToJson, ParseDict
    from livekit.api import AccessToken
    from livekit.protocol.webhook import WebhookEvent

    if isinstance(event, dict):
        event = ParseDict(event, WebhookEvent())
    body = MessageToJson(event, indent=None)
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return body, AccessToken(api_key, api_secret).with_sha256(digest).to_jwt()


class LiveKitStub:
    def __init__(self, api_key: str = DEV_API_KEY, api_secret: str = DEV_API_SECRET, *, port: int = 0,
                 host: str = HOST, webhook_url: str | None = None):
        self.api_key, self.api_secret, self.host = api_key, api_secret, host
        self.webhook_url = webhook_url
        self.rooms: dict = {}          # name -> livekit.protocol.models.Room
        self.participants: dict = {}   # name -> {identity: ParticipantInfo}
        self.calls: list[dict] = []    # {"method", "request"} of every authenticated Twirp call
        self.dispatches: dict = {}     # room name -> [livekit.protocol.agent_dispatch.AgentDispatch]
        self.egresses: dict = {}       # egress id -> livekit.protocol.egress.EgressInfo
        self.webhooks: list[dict] = []  # what was sent to webhook_url: {"event", "status"}
        self._lock = threading.RLock()
        self._outgoing: queue.Queue = queue.Queue()
        self._server = self._make_server(port)
        self.port = self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveKitStub:
        threading.Thread(target=self._server.serve_forever, name="livekit-stub", daemon=True).start()
        threading.Thread(target=self._send_webhooks, name="livekit-stub-webhooks", daemon=True).start()
        return self

    def stop(self) -> None:
        self._outgoing.put(None)
        self._server.shutdown()
        self._server.server_close()

    def methods_called(self) -> list[str]:
        with self._lock:
            return [c["method"] for c in self.calls]

    # ---- state changes (Twirp and simulation) ------------------------------------------------

    def create_room(self, name: str, max_participants: int = 0, empty_timeout: int = 300,
                    metadata: str = "", agents=(), egress=None):
        """As LiveKit: an existing room is returned unchanged; a new one gets a dispatch for each
        of `agents` (RoomAgentDispatch), which a registered worker of that name would receive,
        and starts the room-composite egress of `egress` (RoomEgress) if it has one."""
        from livekit.protocol.models import Room

        with self._lock:
            if name in self.rooms:
                return self.rooms[name]
            now = time.time()
            room = Room(sid="RM_" + secrets.token_hex(6), name=name, max_participants=max_participants,
                        empty_timeout=empty_timeout, metadata=metadata, creation_time=int(now),
                        creation_time_ms=int(now * 1000))
            self.rooms[name], self.participants[name] = room, {}
            self.dispatches[name] = []
            for agent in agents:
                self._add_dispatch(name, agent.agent_name, agent.metadata)
        self.emit("room_started", room=room)
        if egress is not None and egress.HasField("room"):
            self.start_egress(name, egress.room)
        return room

    # ---- egress --------------------------------------------------------------------------------

    def start_egress(self, room_name: str, request):
        """A room-composite egress of `room_name` (RoomCompositeEgressRequest), ACTIVE at once."""
        from livekit.protocol.egress import EgressInfo, EgressStatus

        with self._lock:
            room = self.rooms.get(room_name)
            if room is None:
                raise TwirpError("not_found", "requested room does not exist")
            info = EgressInfo(egress_id="EG_" + secrets.token_hex(6), room_id=room.sid, room_name=room_name,
                              status=EgressStatus.EGRESS_ACTIVE, started_at=time.time_ns())
            info.room_composite.CopyFrom(request)
            info.room_composite.room_name = room_name
            self.egresses[info.egress_id] = info
        self.emit("egress_started", room=room, egress=info)
        return info

    def stop_egress(self, egress_id: str):
        """End an egress: its file is written to the S3 target and egress_ended sent."""
        from livekit.protocol.egress import EgressStatus, FileInfo

        with self._lock:
            info = self.egresses.get(egress_id)
            if info is None:
                raise TwirpError("not_found", "egress does not exist")
            if info.status != EgressStatus.EGRESS_ACTIVE:
                raise TwirpError("failed_precondition", "egress is not active")
            info.status = EgressStatus.EGRESS_ENDING
        ended = time.time_ns()
        try:
            files = [self._write_file(info, output, ended) for output in info.room_composite.file_outputs]
            status, error = EgressStatus.EGRESS_COMPLETE, ""
        except Exception as exc:  # noqa: BLE001 - LiveKit reports an upload failure the same way
            files, status, error = [], EgressStatus.EGRESS_FAILED, f"upload failed: {type(exc).__name__}"
        with self._lock:
            info.status, info.ended_at, info.updated_at, info.error = status, ended, ended, error
            del info.file_results[:]
            info.file_results.extend(FileInfo(**f) for f in files)
            room = self.rooms.get(info.room_name)
        self.emit("egress_ended", room=room, egress=info)
        return info

    def _write_file(self, info, output, ended_ns: int) -> dict:
        """A few bytes standing in for the recording, where egress would upload it."""
        import boto3
        from botocore.config import Config

        when = time.strftime("%Y-%m-%dT%H%M%S", time.gmtime(info.started_at / 1e9))
        key = (output.filepath or "{room_name}-{time}.mp4").replace("{time}", when) \
            .replace("{room_name}", info.room_name).replace("{room_id}", info.room_id).lstrip("/")
        body = f"doctor-live LiveKit stand-in recording of {info.room_name} ({info.egress_id})\n".encode()
        s3 = output.s3
        if not s3.bucket:
            raise ValueError("the stand-in uploads to S3 only")
        client = boto3.client("s3", endpoint_url=s3.endpoint or None, region_name=s3.region or "us-east-1",
                              aws_access_key_id=s3.access_key or None,
                              aws_secret_access_key=s3.secret or None,
                              config=Config(s3={"addressing_style": "path" if s3.force_path_style else "auto"}))
        client.put_object(Bucket=s3.bucket, Key=key, Body=body,
                          ContentType="audio/ogg" if key.endswith(".ogg") else "video/mp4")
        base = (s3.endpoint or f"https://s3.{s3.region or 'us-east-1'}.amazonaws.com").rstrip("/")
        return {"filename": key, "location": f"{base}/{s3.bucket}/{key}", "size": len(body),
                "started_at": info.started_at, "ended_at": ended_ns, "duration": ended_ns - info.started_at}

    def egress_of(self, room_name: str | None = None, *, active: bool = False) -> list:
        from livekit.protocol.egress import EgressStatus

        with self._lock:
            return [e for e in self.egresses.values() if (not room_name or e.room_name == room_name)
                    and (not active or e.status == EgressStatus.EGRESS_ACTIVE)]

    def _add_dispatch(self, room: str, agent_name: str, metadata: str):
        from livekit.protocol.agent_dispatch import AgentDispatch

        dispatch = AgentDispatch(id="AD_" + secrets.token_hex(6), agent_name=agent_name, room=room,
                                 metadata=metadata)
        self.dispatches.setdefault(room, []).append(dispatch)
        return dispatch

    def dispatches_of(self, room: str) -> list[dict]:
        with self._lock:
            return [{"id": d.id, "agent_name": d.agent_name, "metadata": d.metadata}
                    for d in self.dispatches.get(room, [])]

    def delete_room(self, name: str) -> None:
        with self._lock:
            if name not in self.rooms:
                raise TwirpError("not_found", "requested room does not exist")
        for egress in self.egress_of(name, active=True):  # LiveKit ends a closing room's egress
            self.stop_egress(egress.egress_id)
        with self._lock:
            room, people = self.rooms.pop(name), self.participants.pop(name)
            self.dispatches.pop(name, None)
        for p in people.values():
            self.emit("participant_left", room=room, participant=p)
        self.emit("room_finished", room=room)

    def join(self, name: str, identity: str, display_name: str = ""):
        from livekit.protocol.models import ParticipantInfo

        room = self.create_room(name)
        now = time.time()
        p = ParticipantInfo(sid="PA_" + secrets.token_hex(6), identity=identity, name=display_name,
                            state=ParticipantInfo.State.ACTIVE, joined_at=int(now), joined_at_ms=int(now * 1000))
        with self._lock:
            self.participants[name][identity] = p
            room.num_participants = len(self.participants[name])
        self.emit("participant_joined", room=room, participant=p)
        return p

    def leave(self, name: str, identity: str) -> None:
        with self._lock:
            people = self.participants.get(name, {})
            if identity not in people:
                raise TwirpError("not_found", "participant is not in the room")
            p = people.pop(identity)
            room = self.rooms[name]
            room.num_participants = len(people)
        self.emit("participant_left", room=room, participant=p)

    def emit(self, event_type: str, *, room=None, participant=None, egress=None) -> None:
        """Queue a signed webhook for webhook_url (if any). Sent from a background thread, in
        order, as LiveKit does: the API call that caused it does not wait for the receiver."""
        if not self.webhook_url:
            return
        from livekit.protocol.webhook import WebhookEvent

        ev = WebhookEvent(event=event_type, id="EV_" + secrets.token_hex(8), created_at=int(time.time()))
        if room is not None:
            ev.room.CopyFrom(room)
        if participant is not None:
            ev.participant.CopyFrom(participant)
        if egress is not None:
            ev.egress_info.CopyFrom(egress)
        self._outgoing.put(ev)

    def _send_webhooks(self) -> None:
        while (ev := self._outgoing.get()) is not None:
            body, auth = signed_webhook(ev, self.api_key, self.api_secret)
            request = urllib.request.Request(self.webhook_url, data=body.encode(), method="POST", headers={
                "Authorization": auth, "Content-Type": "application/webhook+json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as resp:
                    status = resp.status
            except Exception as exc:  # noqa: BLE001 - LiveKit logs and moves on too
                status = getattr(exc, "code", 0)
            with self._lock:
                self.webhooks.append({"event": ev.event, "id": ev.id, "status": status})

    # ---- Twirp -------------------------------------------------------------------------------

    def _authorize(self, header: str | None, grant: str, room: str | None) -> None:
        import jwt

        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise TwirpError("unauthenticated", "authorization header is missing or not a bearer token")
        try:
            claims = jwt.decode(token, self.api_secret, algorithms=["HS256"], leeway=60,
                                options={"verify_aud": False})
        except jwt.InvalidTokenError as exc:
            raise TwirpError("unauthenticated", f"invalid token: {exc}") from exc
        if claims.get("iss") != self.api_key:
            raise TwirpError("unauthenticated", "unknown API key")
        video = claims.get("video") or {}
        if not video.get(grant):
            raise TwirpError("permission_denied", f"token lacks the {grant} grant")
        if grant == "roomAdmin" and video.get("room") and room and video["room"] != room:
            raise TwirpError("permission_denied", "token is for another room")

    def _twirp(self, service: str, method: str, content_type: str, body: bytes,
               auth: str | None) -> tuple[bytes, str]:
        import importlib

        from google.protobuf.json_format import MessageToDict, MessageToJson, Parse
        from livekit.protocol import agent_dispatch as dispatch_pb
        from livekit.protocol import egress as egress_pb
        from livekit.protocol import room as room_pb

        if (service, method) not in _METHODS:
            raise TwirpError("bad_route", f"no handler for method {service}/{method}")
        module, req_name, grant = _METHODS[service, method]
        request = getattr(importlib.import_module(f"livekit.protocol.{module}"), req_name)()
        is_json = content_type.startswith("application/json")
        try:
            if is_json:
                Parse(body.decode() or "{}", request, ignore_unknown_fields=True)
            else:
                request.ParseFromString(body)
        except Exception as exc:
            raise TwirpError("malformed", f"cannot parse the {req_name} body") from exc
        self._authorize(auth, grant, getattr(request, "room", None) or getattr(request, "name", None)
                        or getattr(request, "room_name", None))
        with self._lock:
            self.calls.append({"method": method, "service": service,
                               "request": _redacted(MessageToDict(request, preserving_proto_field_name=True))})
        match method:
            case "CreateRoom":
                if not request.name:
                    raise TwirpError("invalid_argument", "room name is required")
                response = self.create_room(request.name, request.max_participants,
                                            request.empty_timeout or 300, request.metadata,
                                            agents=list(request.agents),
                                            egress=request.egress if request.HasField("egress") else None)
            case "StartRoomCompositeEgress":
                response = self.start_egress(request.room_name, request)
            case "ListEgress":
                found = [e for e in self.egress_of(request.room_name or None, active=request.active)
                         if not request.egress_id or e.egress_id == request.egress_id]
                response = egress_pb.ListEgressResponse(items=found)
            case "StopEgress":
                response = self.stop_egress(request.egress_id)
            case "CreateDispatch":
                with self._lock:
                    if request.room not in self.rooms:
                        raise TwirpError("not_found", "requested room does not exist")
                    response = self._add_dispatch(request.room, request.agent_name, request.metadata)
            case "DeleteDispatch":
                with self._lock:
                    kept = [d for d in self.dispatches.get(request.room, []) if d.id != request.dispatch_id]
                    gone = [d for d in self.dispatches.get(request.room, []) if d.id == request.dispatch_id]
                    if not gone:
                        raise TwirpError("not_found", "dispatch not found")
                    self.dispatches[request.room] = kept
                response = gone[0]
            case "ListDispatch":
                with self._lock:
                    found = [d for d in self.dispatches.get(request.room, [])
                             if not request.dispatch_id or d.id == request.dispatch_id]
                response = dispatch_pb.ListAgentDispatchResponse(agent_dispatches=found)
            case "DeleteRoom":
                self.delete_room(request.room)
                response = room_pb.DeleteRoomResponse()
            case "ListRooms":
                with self._lock:
                    rooms = [r for n, r in self.rooms.items() if not request.names or n in request.names]
                response = room_pb.ListRoomsResponse(rooms=rooms)
            case "ListParticipants":
                with self._lock:
                    if request.room not in self.rooms:
                        raise TwirpError("not_found", "requested room does not exist")
                    people = list(self.participants[request.room].values())
                response = room_pb.ListParticipantsResponse(participants=people)
            case "RemoveParticipant":
                self.leave(request.room, request.identity)
                response = room_pb.RemoveParticipantResponse()
        if is_json:
            return MessageToJson(response).encode(), "application/json"
        return response.SerializeToString(), "application/protobuf"

    def _make_server(self, port: int) -> ThreadingHTTPServer:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "livekit-stub"

            def log_message(self, fmt, *args):
                pass

            def _send(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status: int, body) -> None:
                self._send(status, json.dumps(body).encode(), "application/json")

            def _body(self) -> bytes:
                n = int(self.headers.get("content-length") or 0)
                return self.rfile.read(n) if n else b""

            def do_POST(self):
                path = urlsplit(self.path).path
                body = self._body()
                m = re.fullmatch(r"/twirp/livekit\.(\w+)/(\w+)", path)
                if m:
                    try:
                        data, ctype = stub._twirp(m.group(1), m.group(2), self.headers.get("content-type", ""),
                                                  body, self.headers.get("authorization"))
                    except TwirpError as exc:
                        self._json(_STATUS.get(exc.code, 500), {"code": exc.code, "msg": exc.msg})
                        return
                    self._send(200, data, ctype)
                    return
                m = re.fullmatch(r"/api/egress/([^/]+)/stop", path)
                if m:
                    try:
                        info = stub.stop_egress(m.group(1))
                    except TwirpError as exc:
                        self._json(_STATUS.get(exc.code, 500), {"code": exc.code, "msg": exc.msg})
                        return
                    self._json(200, _egress_json(info))
                    return
                m = re.fullmatch(r"/api/rooms/([^/]+)/participants", path)
                if m:
                    spec = json.loads(body or b"{}")
                    p = stub.join(m.group(1), spec["identity"], spec.get("name", ""))
                    self._json(201, {"identity": p.identity, "sid": p.sid})
                    return
                self._json(404, {"code": "bad_route", "msg": f"no route {path}"})

            def do_DELETE(self):
                path = urlsplit(self.path).path
                if path == "/api/calls":
                    with stub._lock:
                        stub.calls.clear()
                    self._send(204, b"", "text/plain")
                    return
                m = re.fullmatch(r"/api/rooms/([^/]+)/participants/([^/]+)", path)
                if m:
                    try:
                        stub.leave(m.group(1), m.group(2))
                    except TwirpError as exc:
                        self._json(404, {"code": exc.code, "msg": exc.msg})
                        return
                    self._send(204, b"", "text/plain")
                    return
                self._json(404, {"code": "bad_route", "msg": f"no route {path}"})

            def do_GET(self):
                path = urlsplit(self.path).path
                with stub._lock:
                    if path == "/api/calls":
                        self._json(200, stub.calls)
                    elif path == "/api/rooms":
                        self._json(200, [{"name": n, "sid": r.sid, "max_participants": r.max_participants,
                                          "participants": list(stub.participants.get(n, {})),
                                          "dispatches": stub.dispatches_of(n)}
                                         for n, r in stub.rooms.items()])
                    elif path == "/api/egress":
                        self._json(200, [_egress_json(e) for e in stub.egresses.values()])
                    elif path == "/":
                        self._send(200, (f"LiveKit stand-in (API only, no media). Rooms: {len(stub.rooms)}. "
                                         f"JSON: /api/rooms, /api/calls\n").encode(), "text/plain")
                    else:
                        self._json(404, {"code": "bad_route", "msg": f"no route {path}"})

        server = DevServer((self.host, port), Handler)
        server.daemon_threads = True
        return server


_SECRET_FIELDS = frozenset({"secret", "session_token", "credentials", "api_secret"})


def _redacted(value):
    """A recorded request without upload secrets (an egress's S3 key is the platform's)."""
    if isinstance(value, dict):
        return {k: "***" if k in _SECRET_FIELDS and v else _redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


def _egress_json(info) -> dict:
    """An egress as the simulation API shows it (no upload credentials)."""
    from livekit.protocol.egress import EgressStatus

    outputs = info.room_composite.file_outputs
    return {"egress_id": info.egress_id, "room_name": info.room_name,
            "status": EgressStatus.Name(info.status),
            "filepath": outputs[0].filepath if outputs else None,
            "bucket": outputs[0].s3.bucket if outputs else None,
            "files": [{"key": f.filename, "size": f.size} for f in info.file_results]}


def dev_env(env: dict[str, str], port: int) -> dict[str, str]:
    return {"LIVEKIT_URL": f"http://{HOST}:{port}", "LIVEKIT_API_KEY": DEV_API_KEY,
            "LIVEKIT_API_SECRET": DEV_API_SECRET, "LIVEKIT_STUB": "1"}


def arguments() -> argparse.ArgumentParser:
    """No --api-secret: the secret is read from LIVEKIT_API_SECRET (see the module's doc)."""
    parser = argparse.ArgumentParser(prog="python -m devstack.livekit_stub")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIVEKIT_STUB_PORT", ports.LIVEKIT_STUB)))
    parser.add_argument("--api-key", default=os.environ.get("LIVEKIT_API_KEY") or DEV_API_KEY)
    parser.add_argument("--webhook-url", default=os.environ.get("LIVEKIT_WEBHOOK_URL"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    secret = os.environ.get("LIVEKIT_API_SECRET") or DEV_API_SECRET
    stub = LiveKitStub(args.api_key, secret, port=args.port, webhook_url=args.webhook_url).start()
    print(f"livekit stub: {stub.url} (API only, no media); webhooks to {args.webhook_url or 'nowhere'}", flush=True)
    run_until_stopped(stub.stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
