"""`make dev`: run the whole platform locally on embedded defaults and print the URLs.

Starts (each only if not already running): PostgreSQL+pgvector, migrations, dev seed,
LocalStack (S3, SQS, SNS, Secrets Manager) with the platform's buckets, topic and queues, the
event pump, and the local API gateway. Ctrl-C stops what this command started and leaves the rest.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from devstack import ports, postgres

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".data"
PY = sys.executable
LOCALSTACK_CTL = REPO / "localstack" / "ctl.sh"


def dev_key_file() -> Path:
    """The dev JWT signing key: generated once into the git-ignored data folder."""
    path = DATA / "jwt-dev.pem"
    if not path.exists():
        from doctorlive.auth.tokens import generate_private_key_pem  # noqa: PLC0415

        DATA.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_private_key_pem())
        path.chmod(0o600)
    return path


def dev_env(cluster: postgres.Cluster) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("STAGE", "dev")
    env.setdefault("DATABASE_URL", cluster.url)
    if not env.get("JWT_PRIVATE_KEY") and not env.get("JWT_PRIVATE_KEY_FILE"):
        env["JWT_PRIVATE_KEY_FILE"] = str(dev_key_file())
    env.setdefault("PYTHONPATH", str(REPO))
    return env


@dataclass
class Stack:
    env: dict[str, str]
    procs: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    started_postgres: postgres.Cluster | None = None
    started_localstack: bool = False
    pump: object | None = None

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """`python -m <args>` with the stack's environment plus `env`. Secrets go in `env`,
        never in `args`: any user of the machine can read a command line (`ps`)."""
        proc = subprocess.Popen([PY, "-m", *args], cwd=REPO, env={**self.env, **(env or {})})
        self.procs.append((name, proc))
        return proc

    def stop(self) -> None:
        if self.pump is not None:
            self.pump.stop()
            print("stopped event pump")
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            print(f"stopped {name}")
        if self.started_localstack:
            subprocess.run([str(LOCALSTACK_CTL), "stop"], check=False)
        if self.started_postgres is not None:
            self.started_postgres.stop()
            print("stopped postgres")


def wait_http(url: str, timeout: float = 30.0) -> None:
    import urllib.request  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:  # keep polling until the deadline
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def start_assistant(stack: Stack, env: dict[str, str]) -> str:
    """The meeting assistant's worker, when LIVEKIT_URL names a real LiveKit server: it registers
    there and is dispatched into each meeting. The stand-in carries no media and speaks no worker
    protocol, so with it the assistant is not started (and `make dev` says so)."""
    if env.get("LIVEKIT_STUB") == "1" or not env.get("LIVEKIT_URL"):
        return ("  Assistant     not started: the LiveKit stand-in has no media "
                "(set LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET for a real server)")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "agent-container"), env.get("PYTHONPATH", "")])
    stack.spawn("assistant", "meeting_agent", "dev")
    return f"  Assistant     worker registered with {env['LIVEKIT_URL']} (agent {env.get('AGENT_NAME', 'doctorlive-assistant')})"


def main() -> int:
    cluster = postgres.Cluster.from_env()
    env = dev_env(cluster)
    os.environ.update(env)  # the event pump runs handlers in this process
    stack = Stack(env=env)
    # Ctrl-C and SIGTERM both end in the `finally` below, which stops what was started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if not cluster.running():
            cluster.start()
            stack.started_postgres = cluster
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "STAGE")})
        # DATABASE_URL by environment: it may hold a password (migrate reads it from settings).
        subprocess.run([PY, "-m", "doctorlive.migrate"], check=True, env=env)
        subprocess.run([PY, "-m", "doctorlive.seed"], check=True, env=env)
        if subprocess.run([str(LOCALSTACK_CTL), "status"], capture_output=True, check=False).returncode != 0:
            subprocess.run([str(LOCALSTACK_CTL), "start"], check=True)
            stack.started_localstack = True
        from devstack.localaws import provision  # noqa: PLC0415
        from devstack.pump import Pump  # noqa: PLC0415

        resources = provision(env.get("RESOURCE_PREFIX", "doctorlive-dev"))
        env.update(resources.env)
        os.environ.update(resources.env)
        port = int(env.get("GATEWAY_PORT", ports.GATEWAY))
        from devstack.sinks import start_dev as start_sinks  # noqa: PLC0415

        sink_lines = start_sinks(stack, env, port)  # e-mail/WhatsApp sinks, LiveKit stand-in
        stack.pump = Pump(resources)
        stack.pump.start()
        stack.spawn("gateway", "devstack.gateway", "--port", str(port))
        wait_http(f"http://127.0.0.1:{port}/health")
        from devstack.sites import start_dev as start_sites  # noqa: PLC0415

        site_lines = start_sites(stack, env, port)  # room site (built when stale) and admin site
        site_lines.append(start_assistant(stack, env))
        print(f"""
doctor-live is running
  API gateway   http://127.0.0.1:{port}      (GET /health, GET /openapi.json)
  PostgreSQL    {cluster.url}
  LocalStack    {env["AWS_ENDPOINT_URL"]}       (S3 bucket {env["KNOWLEDGE_BUCKET"]}, SNS, SQS; event pump running)
{chr(10).join(sink_lines)}
{chr(10).join(site_lines)}
  Logins        manager@conexa.local, admin@clinica.local, admin@design.local
                password: {"(DEV_PASSWORD)" if os.environ.get("DEV_PASSWORD") else "doctorlive-dev"}
Ctrl-C stops what this command started.
""", flush=True)
        while all(p.poll() is None for _, p in stack.procs):
            time.sleep(0.5)
        print("a service exited; stopping", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
