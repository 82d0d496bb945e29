"""The Lambda runtime client that runs in the host process: standard library only, because it runs
under whichever interpreter LAMBDA_HOST_PYTHON names (normally the app venv's python).

It speaks the Lambda Runtime API (/2018-06-01/runtime/...) to the executor, like AWS's own
Python runtime: import the handler once (init), then loop on invocation/next -> response|error.
"""

import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

# Running this file puts its directory first on sys.path; the handler must not see it.
sys.path.pop(0)
HERE = __file__  # frames of this file are left out of the stack traces reported to callers

API = f"http://{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime"
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(path, body=None, headers=None):
    request = urllib.request.Request(API + path, data=body, headers=headers or {})
    return _http.open(request)


def error_body(error_type, exc, message=None):
    return {
        "errorMessage": message or str(exc),
        "errorType": error_type,
        "stackTrace": traceback.format_list(
            [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename != HERE]
        ),
    }


def post(path, body, error_type=""):
    sys.stdout.flush()  # the executor reads this invocation's logs as soon as the result arrives
    sys.stderr.flush()
    headers = {"Lambda-Runtime-Function-Error-Type": error_type} if error_type else {}
    call(path, body, headers).read()


def post_error(path, body):
    print(f"[ERROR] {body['errorType']}: {body['errorMessage']}", file=sys.stderr)
    print("".join(body["stackTrace"]), end="", file=sys.stderr)
    post(path, json.dumps(body).encode(), body["errorType"])


class LambdaContext:
    def __init__(self, request_id, function_arn, deadline_ms):
        self.aws_request_id = request_id
        self.invoked_function_arn = function_arn
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ["AWS_LAMBDA_FUNCTION_VERSION"]
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self.log_stream_name = os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)


class LoadError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def load_handler(spec):
    """Import the handler like AWS's Python runtime does, with AWS's error types on failure."""
    module_path, _, function_name = spec.rpartition(".")
    if not module_path:
        raise LoadError("Runtime.MalformedHandlerName", f"Bad handler '{spec}'")
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        message = f"Unable to import module '{module_name}': {exc}"
        raise LoadError("Runtime.ImportModuleError", message) from exc
    except SyntaxError as exc:
        message = f"Syntax error in module '{module_name}': {exc}"
        raise LoadError("Runtime.UserCodeSyntaxError", message) from exc
    except Exception as exc:  # any failure of the module body is an init error
        raise LoadError(type(exc).__name__, str(exc)) from exc
    handler = getattr(module, function_name, None)
    if handler is None:
        message = f"Handler '{function_name}' missing on module '{module_name}'"
        raise LoadError("Runtime.HandlerNotFound", message)
    return handler


def main():
    expected = os.environ.get("AWS_EXECUTION_ENV", "").removeprefix("AWS_Lambda_")
    actual = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if expected.startswith("python") and expected != actual:
        print(f"[WARNING] runtime {expected} requested, running on {actual}", file=sys.stderr)
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except LoadError as exc:
        post_error("/init/error", error_body(exc.error_type, exc.__cause__ or exc, str(exc)))
        sys.exit(1)

    while True:
        with call("/invocation/next") as response:
            request_id = response.headers["Lambda-Runtime-Aws-Request-Id"]
            function_arn = response.headers["Lambda-Runtime-Invoked-Function-Arn"]
            deadline_ms = int(response.headers["Lambda-Runtime-Deadline-Ms"])
            os.environ["_X_AMZN_TRACE_ID"] = response.headers.get("Lambda-Runtime-Trace-Id", "")
            event = json.loads(response.read() or b"null")
        try:
            result = handler(event, LambdaContext(request_id, function_arn, deadline_ms))
        except Exception as exc:  # noqa: BLE001 - every handler failure goes back to the caller
            post_error(f"/invocation/{request_id}/error", error_body(type(exc).__name__, exc))
            continue
        try:
            body = json.dumps(result).encode()
        except (TypeError, ValueError) as exc:
            error = error_body("Runtime.MarshalError", exc, f"Unable to marshal response: {exc}")
            post_error(f"/invocation/{request_id}/error", error)
            continue
        post(f"/invocation/{request_id}/response", body)


if __name__ == "__main__":
    main()
