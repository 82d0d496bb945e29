"""A LocalStack runtime executor that runs Python Lambda handlers as host processes.

One execution environment = one child process running bootstrap.py, plus a tiny Lambda Runtime
API server (on 127.0.0.1, a free port) through which the child fetches invocations and posts
results. LocalStack drives it through the RuntimeExecutor interface: start() -> invoke()... -> stop().
"""

import json
import logging
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from localstack import config
from localstack.aws.api.lambda_ import PackageType
from localstack.services.lambda_.invocation.executor_endpoint import StatusErrorException
from localstack.services.lambda_.invocation.lambda_models import FunctionVersion, InvocationResult
from localstack.services.lambda_.invocation.runtime_executor import RuntimeExecutor

LOG = logging.getLogger(__name__)
BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
# What the child inherits from LocalStack's environment; everything else comes from the function.
INHERITED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR")


def host_python(function_env: dict) -> str:
    """LAMBDA_HOST_PYTHON from the function's environment, else LocalStack's, else our own python."""
    python = function_env.get("LAMBDA_HOST_PYTHON") or os.environ.get("LAMBDA_HOST_PYTHON")
    if python and os.access(python, os.X_OK):
        return python
    if python:
        LOG.warning("LAMBDA_HOST_PYTHON=%s is not executable, using %s", python, sys.executable)
    return sys.executable


def layer_dirs(function_version: FunctionVersion) -> list[Path]:
    """Unzipped layer directories, last layer first: on AWS a later layer overwrites an earlier one."""
    return [
        Path(layer.code.get_unzipped_code_location())
        for layer in reversed(function_version.config.layers)
    ]


def search_path(*parts: str | None) -> str:
    return os.pathsep.join(str(part) for part in parts if part)


def settle(future: Future, result=None, error: Exception | None = None) -> None:
    """Complete a future unless a racing thread (result vs. child exit) already did."""
    try:
        future.set_exception(error) if error else future.set_result(result)
    except InvalidStateError:
        pass


def error_payload(error_type: str, message: str) -> bytes:
    return json.dumps({"errorMessage": message, "errorType": error_type}).encode()


class HostRuntimeExecutor(RuntimeExecutor):
    def __init__(self, id: str, function_version: FunctionVersion) -> None:
        super().__init__(id=id, function_version=function_version)
        self.process: subprocess.Popen | None = None
        self.server: ThreadingHTTPServer | None = None
        self.env: dict[str, str] = {}
        self.log_path = Path(tempfile.gettempdir(), "lambda-host", f"{id}.log")
        self.invocations: queue.Queue = queue.Queue()  # what the child's invocation/next returns
        self.startup: Future = Future()  # done when the child asks for its first invocation
        self.result: Future = Future()  # (payload, is_error) of the invocation in flight
        self.request_id = ""
        self.log_reported = 0  # bytes of the child's output already handed to LocalStack
        self.python = sys.executable

    # -- lifecycle ---------------------------------------------------------------------------
    @classmethod
    def prepare_version(cls, function_version: FunctionVersion) -> None:
        config_ = function_version.config
        if config_.package_type != PackageType.Zip or not (config_.runtime or "").startswith(
            "python"
        ):
            raise ValueError(f"host executor: python zip functions only, not {config_.runtime}")
        config_.code.prepare_for_execution()
        # LocalStack's free edition does not unpack layers; we put them on the search paths.
        for layer in config_.layers:
            layer.code.prepare_for_execution()

    @classmethod
    def cleanup_version(cls, function_version: FunctionVersion) -> None:
        pass  # LocalStack removes the unzipped code itself

    def start(self, env_vars: dict[str, str]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RuntimeApiHandler)
        self.server.daemon_threads = True
        self.server.executor = self
        serve = threading.Thread(
            target=self.server.serve_forever, name=f"api-{self.id}", daemon=True
        )
        serve.start()

        # Where AWS has /var/task and /opt (the merged layers), we point at the unzipped copies.
        runtime = self.function_version.config.runtime
        code_dir = str(self.function_version.config.code.get_unzipped_code_location())
        layers = layer_dirs(self.function_version)
        site_packages = [d / f"python/lib/{runtime}/site-packages" for d in layers]
        function_env = {key: str(value) for key, value in env_vars.items()}
        self.env = {key: os.environ[key] for key in INHERITED_ENV if key in os.environ}
        self.env.update(function_env)
        self.env.update(
            AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{self.server.server_address[1]}",
            AWS_EXECUTION_ENV=f"AWS_Lambda_{runtime}",
            LAMBDA_TASK_ROOT=code_dir,
            PYTHONPATH=search_path(
                code_dir,
                *site_packages,
                *(d / "python" for d in layers),
                function_env.get("PYTHONPATH"),
            ),
            PATH=search_path(*(d / "bin" for d in layers), self.env.get("PATH", os.defpath)),
            PYTHONUNBUFFERED="1",
        )
        if layers:
            self.env["LD_LIBRARY_PATH"] = search_path(
                *(d / "lib" for d in layers), function_env.get("LD_LIBRARY_PATH")
            )
        self.python = host_python(function_env)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._spawn()
        self.startup.result()  # raises StatusErrorException if the handler cannot be loaded

    def _spawn(self) -> None:
        self.invocations.put(None)  # a fresh child must never see the previous child's invocation
        self.invocations, self.startup = queue.Queue(), Future()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.python, str(BOOTSTRAP)],
                cwd=self.env["LAMBDA_TASK_ROOT"],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stop() also ends its children
            )
        threading.Thread(target=self._watch, args=(self.process,), daemon=True).start()

    def _watch(self, process: subprocess.Popen) -> None:
        """Turn an unexpected exit of the child into an error for whoever waits on it."""
        code = process.wait()
        if process is not self.process:  # killed and replaced on purpose
            return
        message = f"Runtime exited with error: exit status {code}"
        payload = error_payload("Runtime.ExitError", message)
        settle(self.startup, error=StatusErrorException(message, payload))
        settle(self.result, (payload, True))

    def _kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def stop(self) -> None:
        self._kill()
        self.invocations.put(None)  # releases a child blocked in invocation/next
        if not self.startup.done():
            self.startup.cancel()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
        self.log_path.unlink(missing_ok=True)

    # -- invocations -------------------------------------------------------------------------
    def invoke(self, payload: dict[str, str]) -> InvocationResult:
        request_id = payload["invoke-id"]
        timeout = self.function_version.config.timeout
        began = time.perf_counter()
        try:
            if self.process.poll() is not None:  # killed after a timeout, or crashed: init again
                self._spawn()
                self.startup.result(timeout=timeout)
            self.request_id, self.result = request_id, Future()
            self.invocations.put({**payload, "deadline-ms": int((time.time() + timeout) * 1000)})
            body, is_error = self.result.result(timeout=timeout)
        except StatusErrorException as init_error:
            body, is_error = init_error.payload, True
        except FutureTimeout:
            self._kill()
            message = f"Task timed out after {timeout:.2f} seconds"
            body, is_error = error_payload("Sandbox.Timedout", message), True
        duration_ms = (time.perf_counter() - began) * 1000
        with open(self.log_path, "rb") as log:  # everything since the last invoke, init included
            log.seek(self.log_reported)
            output = log.read()
            self.log_reported += len(output)
        version = self.function_version.id.qualifier
        logs = (
            f"START RequestId: {request_id} Version: {version}\n{output.decode(errors='replace')}"
            f"END RequestId: {request_id}\n"
            f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
            f"Memory Size: {self.function_version.config.memory_size} MB\n"
        )
        return InvocationResult(request_id, body, is_error=is_error, logs=logs)

    def get_logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # -- addresses ---------------------------------------------------------------------------
    def get_address(self) -> str:
        return "127.0.0.1"

    def get_endpoint_from_executor(self) -> str:
        """How the handler reaches LocalStack (AWS_ENDPOINT_URL): the gateway on this host."""
        host = config.GATEWAY_LISTEN[0].host
        return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host

    def get_runtime_endpoint(self) -> str:
        # Only LocalStack's Go init uses this endpoint; our child gets AWS_LAMBDA_RUNTIME_API.
        return f"http://{self.get_endpoint_from_executor()}:{config.GATEWAY_LISTEN[0].port}/_localstack_lambda/{self.id}"


class RuntimeApiHandler(BaseHTTPRequestHandler):
    """The Lambda Runtime API, as much of it as a runtime client needs."""

    protocol_version = "HTTP/1.1"
    prefix = "/2018-06-01/runtime"

    def do_GET(self) -> None:
        executor: HostRuntimeExecutor = self.server.executor
        if self.path != f"{self.prefix}/invocation/next":
            return self._reply(404)
        invocations = executor.invocations
        settle(executor.startup, True)
        invocation = invocations.get()
        if invocation is None:  # stopping: the child is gone or about to be, nothing to answer
            self.close_connection = True
            return
        self._reply(
            200,
            invocation["payload"].encode(),
            {
                "Lambda-Runtime-Aws-Request-Id": invocation["invoke-id"],
                "Lambda-Runtime-Invoked-Function-Arn": invocation["invoked-function-arn"],
                "Lambda-Runtime-Deadline-Ms": str(invocation["deadline-ms"]),
                "Lambda-Runtime-Trace-Id": invocation["trace-id"],
            },
        )

    def do_POST(self) -> None:
        executor: HostRuntimeExecutor = self.server.executor
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == f"{self.prefix}/init/error":
            settle(executor.startup, error=StatusErrorException("Runtime init failed", body))
            return self._reply(202)
        _, _, rest = self.path.partition(f"{self.prefix}/invocation/")
        request_id, _, outcome = rest.rpartition("/")
        if request_id != executor.request_id or outcome not in ("response", "error"):
            return self._reply(400)
        settle(executor.result, (body, outcome == "error"))
        self._reply(202)

    def _reply(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        LOG.debug("runtime api %s: " + format, self.server.executor.id, *args)
