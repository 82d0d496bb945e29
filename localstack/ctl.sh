#!/usr/bin/env bash
# LocalStack without Docker: its own venv, our host-process Lambda executor, state under .data/.
# Usage: localstack/ctl.sh install|start|wait|stop|status
set -euo pipefail
unset PYTHONPATH # LocalStack's venv must not see the app's import path (the repo has a localstack/ dir)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VENV="$ROOT/.venvs/localstack"
DATA="${LOCALSTACK_DATA:-$ROOT/.data/localstack}" # with LOCALSTACK_PORT: a second instance
PID_FILE="$DATA/localstack.pid"
LOG_FILE="$DATA/localstack.log"
STAMP="$VENV/.installed"
PORT=${LOCALSTACK_PORT:-4566}
URL="http://127.0.0.1:$PORT"
SERVICES=s3,sqs,sns,secretsmanager,events,scheduler,lambda,apigateway,cloudformation,iam,sts,logs,ssm,cloudwatch
WAIT_SECONDS=${LOCALSTACK_WAIT_SECONDS:-90}

base_python() {
  local candidate
  for candidate in "${LOCALSTACK_BASE_PYTHON:-}" /root/.pyenv/versions/3.11.7/bin/python3 python3.11; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "ctl.sh: no Python 3.11 found (set LOCALSTACK_BASE_PYTHON)" >&2
  exit 1
}

# Hash of everything that decides the venv's contents: reinstall only when it changes.
source_hash() {
  (cd "$HERE" && cat requirements.txt executor/pyproject.toml executor/localstack_host_executor/*.py) |
    sha256sum | cut -d' ' -f1
}

cmd_install() {
  local want
  want=$(source_hash)
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
    return
  fi
  echo "ctl.sh: installing LocalStack into $VENV" >&2
  [ -x "$VENV/bin/python" ] || "$(base_python)" -m venv "$VENV"
  "$VENV/bin/pip" install -qq -r "$HERE/requirements.txt"
  # Built from a copy so that setuptools leaves no build/ or *.egg-info in the work tree.
  local src
  src=$(mktemp -d)
  cp -r "$HERE/executor/pyproject.toml" "$HERE/executor/localstack_host_executor" "$src/"
  "$VENV/bin/pip" install -qq --no-deps --force-reinstall "$src"
  rm -rf "$src"
  echo "$want" >"$STAMP"
}

# The PID from the file, if that process is alive and is LocalStack.
running_pid() {
  local pid
  pid=$(cat "$PID_FILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "localstack.runtime.main"
}

# Prints the health JSON; fails if nothing answers or a service named in $1 is not up.
health() {
  "$VENV/bin/python" - "$URL/_localstack/health" "${1:-}" <<'PY'
import json, sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    body = opener.open(sys.argv[1], timeout=2).read().decode()
except OSError:
    sys.exit(1)
print(body)
services = json.loads(body)["services"]
sys.exit(any(services.get(s) not in ("available", "running") for s in filter(None, sys.argv[2].split(","))))
PY
}

cmd_wait() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    if health "$SERVICES" >/dev/null; then
      echo "ctl.sh: LocalStack ready at $URL" >&2
      return
    fi
    if [ -f "$PID_FILE" ] && ! running_pid; then
      echo "ctl.sh: LocalStack exited during startup; log tail:" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "ctl.sh: LocalStack not ready after ${WAIT_SECONDS}s; log tail:" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  exit 1
}

cmd_start() {
  cmd_install
  if running_pid; then
    echo "ctl.sh: LocalStack already running (pid $(cat "$PID_FILE"))" >&2
    cmd_wait
    return
  fi
  if health >/dev/null; then
    echo "ctl.sh: port $PORT already answers but not with our LocalStack (no live $PID_FILE)" >&2
    exit 1
  fi
  mkdir -p "$DATA/filesystem"
  # OVERRIDE_IN_DOCKER=0: these machines are containers, but LocalStack must use host paths.
  # DISABLE_EVENTS=1 is what really turns analytics off in 4.13; without it a shutdown hook
  # hangs on the unreachable analytics host and the services (and Lambda processes) never stop.
  # The app venv runs Lambda handlers when it exists; the executor falls back to its own python.
  env GATEWAY_LISTEN="127.0.0.1:$PORT" DNS_ADDRESS=0 LOCALSTACK_TELEMETRY=0 DISABLE_EVENTS=1 \
    SKIP_SSL_CERT_DOWNLOAD=1 OVERRIDE_IN_DOCKER=0 \
    SERVICES="$SERVICES" LAMBDA_RUNTIME_EXECUTOR=host \
    LAMBDA_HOST_PYTHON="${LAMBDA_HOST_PYTHON:-$ROOT/.venv/bin/python}" \
    FILESYSTEM_ROOT="$DATA/filesystem" \
    nohup "$VENV/bin/python" -m localstack.runtime.main >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_FILE"
  echo "ctl.sh: started LocalStack (pid $!), log $LOG_FILE" >&2
  cmd_wait
}

cmd_stop() {
  if ! running_pid; then
    rm -f "$PID_FILE"
    echo "ctl.sh: LocalStack not running" >&2
    return
  fi
  local pid
  pid=$(cat "$PID_FILE")
  kill -TERM "$pid"
  for _ in $(seq 1 150); do
    running_pid || break
    sleep 0.2
  done
  if running_pid; then
    # Its Lambda processes exit by themselves once their Runtime API connection drops.
    echo "ctl.sh: LocalStack (pid $pid) still running 30s after SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid"
    while running_pid; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  echo "ctl.sh: stopped LocalStack (pid $pid)" >&2
}

cmd_status() {
  if running_pid; then
    echo "running (pid $(cat "$PID_FILE")) at $URL"
    health || true
  else
    echo "stopped"
    return 3
  fi
}

# One ctl.sh at a time may install, start or stop (e.g. `make dev` and a test session).
# LocalStack itself is started with fd 9 closed, or it would hold the lock for its lifetime.
lock() {
  mkdir -p "$DATA"
  exec 9>"$DATA/ctl.lock"
  flock -w 600 9 || { echo "ctl.sh: $DATA/ctl.lock still held after 600s" >&2; exit 1; }
}

case "${1:-}" in
  install | start | stop) lock && "cmd_$1" ;;
  wait | status) "cmd_$1" ;;
  *)
    echo "usage: $0 install|start|wait|stop|status" >&2
    exit 2
    ;;
esac
