"""Deploy the `local` stage to a running LocalStack and prepare it for the end-to-end tests.

    python -m infra.deploy_local [--db-port 25432]

Needs LocalStack (localstack/ctl.sh start) and the embedded Postgres on --db-port
(python -m devstack.postgres start --port N). Steps: cdklocal bootstrap (once per LocalStack
state), cdklocal deploy -c stage=local, invoke the migrate function (LocalStack runs no CDK
triggers), run the dev seed on the host, then write .data/e2e/outputs.json for tests/e2e.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from devstack import ports

REPO = Path(__file__).resolve().parents[1]
INFRA = REPO / "infra"
OUT_DIR = REPO / ".data" / "e2e"
OUTPUTS = OUT_DIR / "outputs.json"
STACK = "DoctorLive-local"
STAGE = "local"
ACCOUNT, REGION = "000000000000", "us-east-1"


def localstack_endpoint() -> str:
    return os.environ.get("LOCALSTACK_ENDPOINT") or \
        f"http://127.0.0.1:{os.environ.get('LOCALSTACK_PORT', ports.LOCALSTACK)}"


def cli_env(endpoint: str) -> dict[str, str]:
    """What cdklocal and boto3 need to talk to LocalStack, and nothing that reaches AWS."""
    env = dict(os.environ)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ENDPOINT_URL_S3=endpoint,
        AWS_S3_FORCE_PATH_STYLE="1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        CDK_DISABLE_CLI_TELEMETRY="true",
        CDK_DISABLE_VERSION_CHECK="true",
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_SESSION_TOKEN", None)
    return env


def step(name: str):
    class _Step:
        def __enter__(self):
            self.began = time.perf_counter()
            print(f"deploy_local: {name} ...", file=sys.stderr, flush=True)

        def __exit__(self, *exc):
            if exc[0] is None:
                print(f"deploy_local: {name} done in {time.perf_counter() - self.began:.1f}s",
                      file=sys.stderr, flush=True)
    return _Step()


def cdklocal() -> str:
    binary = INFRA / "node_modules" / ".bin" / "cdklocal"
    if not binary.exists():
        with step("npm ci (infra/package-lock.json)"):
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=INFRA, check=True)
    return str(binary)


def check_prerequisites(endpoint: str, db_port: int) -> None:
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        opener.open(f"{endpoint}/_localstack/health", timeout=3).read()
    except OSError as exc:
        raise SystemExit(f"deploy_local: LocalStack does not answer at {endpoint} ({exc}); "
                         "start it with localstack/ctl.sh start") from None
    import psycopg

    try:
        psycopg.connect(database_url(db_port), connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        raise SystemExit(f"deploy_local: no Postgres on 127.0.0.1:{db_port} ({exc}); start it with "
                         f"python -m devstack.postgres start --port {db_port}") from None


def database_url(db_port: int) -> str:
    return f"postgresql://doctorlive@127.0.0.1:{db_port}/doctorlive"


def aws(env: dict[str, str], service: str, **config):
    import boto3
    from botocore.config import Config

    return boto3.client(service, endpoint_url=env["AWS_ENDPOINT_URL"], region_name=REGION,
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"], config=Config(**config))


def bootstrapped(env: dict[str, str]) -> bool:
    cfn = aws(env, "cloudformation")
    try:
        status = cfn.describe_stacks(StackName="CDKToolkit")["Stacks"][0]["StackStatus"]
    except cfn.exceptions.ClientError:
        return False
    return status.endswith("_COMPLETE") and "ROLLBACK" not in status and "DELETE" not in status


def deploy(env: dict[str, str], db_port: int) -> dict[str, str]:
    cli = cdklocal()
    common = ["--no-notices", "-c", f"stage={STAGE}", "-c", f"localDbPort={db_port}"]
    if not bootstrapped(env):
        with step("cdklocal bootstrap"):
            subprocess.run([cli, "bootstrap", f"aws://{ACCOUNT}/{REGION}", *common],
                           cwd=REPO, env=env, check=True)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    cdk_outputs = OUT_DIR / "cdk-outputs.json"
    with step(f"cdklocal deploy {STACK}"):
        subprocess.run([cli, "deploy", STACK, "--require-approval", "never", "--progress", "events",
                        "--outputs-file", str(cdk_outputs), *common],
                       cwd=REPO, env=env, check=True)
    return json.loads(cdk_outputs.read_text())[STACK]


def migrate(env: dict[str, str], function_name: str) -> dict:
    client = aws(env, "lambda", read_timeout=330, retries={"max_attempts": 0})
    with step(f"invoke {function_name} (migrations + JWT key)"):
        reply = client.invoke(FunctionName=function_name, InvocationType="RequestResponse",
                              LogType="Tail")
        body = json.loads(reply["Payload"].read() or b"null")
    if reply.get("FunctionError"):
        raise SystemExit(f"deploy_local: the migrate function failed: {json.dumps(body)}")
    return body


def seed(db_port: int) -> None:
    env = dict(os.environ, DATABASE_URL=database_url(db_port), STAGE=STAGE)
    with step("dev seed"):
        subprocess.run([sys.executable, "-m", "doctorlive.seed"], cwd=REPO, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.deploy_local")
    parser.add_argument("--db-port", type=int, default=int(os.environ.get("PG_PORT", ports.POSTGRES_DEV)))
    args = parser.parse_args(argv)
    endpoint = localstack_endpoint()
    env = cli_env(endpoint)
    began = time.perf_counter()
    check_prerequisites(endpoint, args.db_port)
    OUTPUTS.unlink(missing_ok=True)  # tests/e2e run only against a deploy that finished
    outputs = deploy(env, args.db_port)
    migrated = migrate(env, outputs["MigrateFunctionName"])
    seed(args.db_port)
    api_id, stage = outputs["ApiId"], outputs["ApiStage"]
    OUTPUTS.write_text(json.dumps({
        "stack": STACK,
        "endpoint": endpoint,
        "region": REGION,
        "api_id": api_id,
        "stage": stage,
        "api_url": f"{endpoint}/_aws/execute-api/{api_id}/{stage}",
        "database_url": database_url(args.db_port),
        "migrate": migrated,
        "cdk_outputs": outputs,
    }, indent=2) + "\n")
    print(f"deploy_local: ready in {time.perf_counter() - began:.0f}s; outputs in {OUTPUTS}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
