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
from pathlib import Path

from devstack import ports, postgres
from devstack.runner import Stack, Started, wait_http
from doctorlive.stages import refuse_in_cloud

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".data"
PY = sys.executable
LOCALSTACK_CTL = REPO / "localstack" / "ctl.sh"


def dev_key_file() -> Path:
    """The dev JWT signing key: generated once into the git-ignored data folder."""
    path = DATA / "jwt-dev.pem"
    if not path.exists():
        from doctorlive.auth.tokens import generate_private_key_pem

        DATA.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_private_key_pem())
        path.chmod(0o600)
    return path


def dev_env(cluster: postgres.Cluster, base: dict[str, str] | None = None) -> dict[str, str]:
    """The stack's environment: `base` (this process's) on the local stage's defaults. Refuses a
    cloud STAGE: the dev stack is nothing but dev conveniences (seeded users, generated keys)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("STAGE", "local")
    refuse_in_cloud(env["STAGE"], "the dev stack (seeded users, a generated JWT key)")  # type: ignore[arg-type]
    env.setdefault("DATABASE_URL", cluster.url)
    if not env.get("JWT_PRIVATE_KEY") and not env.get("JWT_PRIVATE_KEY_FILE"):
        env["JWT_PRIVATE_KEY_FILE"] = str(dev_key_file())
    env.setdefault("PYTHONPATH", str(REPO))
    return env


def start_assistant(stack: Stack, env: dict[str, str]) -> Started:
    """The meeting assistant's worker, when LIVEKIT_URL names a real LiveKit server: it registers
    there and is dispatched into each meeting. The stand-in carries no media and speaks no worker
    protocol, so with it the assistant is not started (and `make dev` says so)."""
    if env.get("LIVEKIT_STUB") == "1" or not env.get("LIVEKIT_URL"):
        return Started([("  Assistant     not started: the LiveKit stand-in has no media "
                         "(set LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET for a real server)")])
    path = os.pathsep.join([str(REPO), str(REPO / "agent-container"), env.get("PYTHONPATH", "")])
    stack.spawn("assistant", "meeting_agent", "dev", env={"PYTHONPATH": path})
    return Started([(f"  Assistant     worker registered with {env['LIVEKIT_URL']} "
                     f"(agent {env.get('AGENT_NAME', 'doctorlive-assistant')})")])


def main() -> int:
    cluster = postgres.Cluster.from_env()
    env = dev_env(cluster)
    stack = Stack(env=env)  # every process it spawns gets `env`, with what each piece adds
    # Ctrl-C and SIGTERM both end in the `finally` below, which stops what was started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if not cluster.running():
            cluster.start()
            stack.on_stop("postgres", cluster.stop)
        # DATABASE_URL by environment: it may hold a password (migrate reads it from settings).
        subprocess.run([PY, "-m", "doctorlive.migrate"], check=True, env=env)
        subprocess.run([PY, "-m", "doctorlive.seed"], check=True, env=env)
        if subprocess.run([str(LOCALSTACK_CTL), "status"], capture_output=True, check=False).returncode != 0:
            subprocess.run([str(LOCALSTACK_CTL), "start"], check=True)
            stack.on_stop("localstack", lambda: subprocess.run([str(LOCALSTACK_CTL), "stop"], check=False))
        from devstack.localaws import provision
        from devstack.pump import Pump
        from devstack.sinks import start_dev as start_sinks
        from devstack.sites import start_dev as start_sites

        resources = provision(env.get("RESOURCE_PREFIX", "doctorlive-dev"))
        env.update(resources.env)
        port = int(env.get("GATEWAY_PORT", ports.GATEWAY))
        sinks = start_sinks(stack, env, port)  # e-mail/WhatsApp sinks, LiveKit stand-in
        env.update(sinks.env)
        # The event pump runs the event handlers in this process: their settings are this
        # process's environment, final from here on (nothing here has read settings before).
        os.environ.update(env)
        pump = Pump(resources)
        pump.start()
        stack.on_stop("event pump", pump.stop)
        stack.spawn("gateway", "devstack.gateway", "--port", str(port))
        wait_http(f"http://127.0.0.1:{port}/health")
        sites = start_sites(stack, env, port)  # room site (built when stale) and admin site
        assistant = start_assistant(stack, env)
        print(f"""
doctor-live is running
  API gateway   http://127.0.0.1:{port}      (GET /health, GET /openapi.json)
  PostgreSQL    {cluster.url}
  LocalStack    {env["AWS_ENDPOINT_URL"]}       (S3 bucket {env["KNOWLEDGE_BUCKET"]}, SNS, SQS; event pump running)
{chr(10).join(sinks.lines)}
{chr(10).join([*sites.lines, *assistant.lines])}
  Logins        manager@conexa.local, admin@clinica.local, admin@design.local
                password: {"(DEV_PASSWORD)" if env.get("DEV_PASSWORD") else "doctorlive-dev"}
Ctrl-C stops what this command started.
""", flush=True)
        while stack.running():
            time.sleep(0.5)
        print("a service exited; stopping", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
