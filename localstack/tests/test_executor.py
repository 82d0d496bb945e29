"""The host-process Lambda executor, exercised through LocalStack the way the platform uses it:
direct invokes, layers, errors, SQS event source mappings and API Gateway REST proxy integrations.

Needs boto3 and pytest; starts LocalStack with ctl.sh unless one already answers on LOCALSTACK_PORT.
"""

import io
import json
import os
import subprocess
import textwrap
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

import boto3
import pytest

from devstack import ports

CTL = Path(__file__).resolve().parents[1] / "ctl.sh"
PORT = int(os.environ.get("LOCALSTACK_PORT", ports.LOCALSTACK))
ENDPOINT = f"http://127.0.0.1:{PORT}"
REGION = "us-east-1"
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def localstack_answers() -> bool:
    try:
        NO_PROXY.open(f"{ENDPOINT}/_localstack/health", timeout=2).read()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def localstack():
    started_here = not localstack_answers()
    if started_here:
        subprocess.run([str(CTL), "start"], check=True, timeout=900)
    yield
    if started_here:
        subprocess.run([str(CTL), "stop"], check=True, timeout=60)


def client(service: str):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, source in files.items():
            archive.writestr(name, textwrap.dedent(source))
    return buffer.getvalue()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_function(source: str, env: dict | None = None, layers=(), timeout: int = 10) -> str:
    lambda_ = client("lambda")
    name = unique("fn")
    lambda_.create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role=ROLE,
        Handler="app.handler",
        Code={"ZipFile": zip_of({"app.py": source})},
        Environment={"Variables": env or {}},
        Layers=list(layers),
        Timeout=timeout,
    )
    lambda_.get_waiter("function_active_v2").wait(FunctionName=name)
    return name


def invoke(name: str, event) -> tuple[dict, str | None]:
    response = client("lambda").invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return json.loads(response["Payload"].read()), response.get("FunctionError")


def wait_for(condition, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def test_invoke_returns_what_the_handler_derives_from_event_and_environment():
    name = create_function(
        """
        import os

        def handler(event, context):
            return {"greeting": f"{os.environ['GREETING']}, {event['name']}!",
                    "function": context.function_name,
                    "endpoint": os.environ["AWS_ENDPOINT_URL"]}
        """,
        env={"GREETING": "Hello"},
    )

    payload, error = invoke(name, {"name": "Ada"})

    assert error is None
    assert payload == {"greeting": "Hello, Ada!", "function": name, "endpoint": ENDPOINT}


def test_handler_imports_code_from_its_layer():
    layer_zip = zip_of(
        {"python/greetings.py": "def greet(who):\n    return f'hi {who} from the layer'\n"}
    )
    layer_arn = client("lambda").publish_layer_version(
        LayerName=unique("layer"), Content={"ZipFile": layer_zip}, CompatibleRuntimes=["python3.11"]
    )["LayerVersionArn"]
    name = create_function(
        """
        from greetings import greet

        def handler(event, context):
            return greet(event["who"])
        """,
        layers=[layer_arn],
    )

    assert invoke(name, {"who": "Bob"}) == ("hi Bob from the layer", None)


def test_handler_exception_comes_back_as_function_error_with_its_type():
    name = create_function(
        """
        def handler(event, context):
            raise ValueError("no such patient")
        """
    )

    payload, error = invoke(name, {})

    assert error == "Unhandled"
    assert payload["errorType"] == "ValueError"
    assert payload["errorMessage"] == "no such patient"


def test_handler_that_cannot_be_imported_reports_import_error():
    name = create_function("import module_that_does_not_exist\n")

    payload, error = invoke(name, {})

    assert error == "Unhandled"
    assert payload["errorType"] == "Runtime.ImportModuleError"


def test_timed_out_invocation_is_an_error_and_the_next_one_runs_fresh():
    name = create_function(
        """
        import time

        def handler(event, context):
            time.sleep(event["sleep"])
            return "done"
        """,
        timeout=1,
    )

    payload, error = invoke(name, {"sleep": 5})
    assert error == "Unhandled"
    assert payload["errorType"] == "Sandbox.Timedout"

    assert invoke(name, {"sleep": 0}) == ("done", None)


def test_sqs_message_reaches_the_function_through_an_event_source_mapping():
    s3, sqs, lambda_ = client("s3"), client("sqs"), client("lambda")
    bucket = unique("markers")
    s3.create_bucket(Bucket=bucket)
    queue_url = sqs.create_queue(QueueName=unique("jobs"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    name = create_function(
        """
        import os
        import boto3

        def handler(event, context):
            s3 = boto3.client("s3")
            for record in event["Records"]:
                s3.put_object(Bucket=os.environ["BUCKET"], Key=record["body"], Body=b"seen")
        """,
        env={"BUCKET": bucket},
    )
    mapping = lambda_.create_event_source_mapping(
        EventSourceArn=queue_arn, FunctionName=name, BatchSize=1
    )["UUID"]
    wait_for(lambda: lambda_.get_event_source_mapping(UUID=mapping)["State"] == "Enabled")

    sqs.send_message(QueueUrl=queue_url, MessageBody="job-42")

    def marker_written():
        keys = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        return [item["Key"] for item in keys]

    assert wait_for(marker_written, timeout=60) == ["job-42"]


def test_rest_api_proxy_integration_answers_with_the_handler_response():
    apigateway, lambda_ = client("apigateway"), client("lambda")
    name = create_function(
        """
        import json

        def handler(event, context):
            return {"statusCode": 201,
                    "headers": {"Content-Type": "application/json"},
                    "body": json.dumps({"path": event["path"], "method": event["httpMethod"]})}
        """
    )
    function_arn = lambda_.get_function(FunctionName=name)["Configuration"]["FunctionArn"]
    api_id = apigateway.create_rest_api(name=unique("api"))["id"]
    root_id = apigateway.get_resources(restApiId=api_id)["items"][0]["id"]
    resource_id = apigateway.create_resource(
        restApiId=api_id, parentId=root_id, pathPart="{proxy+}"
    )["id"]
    apigateway.put_method(
        restApiId=api_id, resourceId=resource_id, httpMethod="ANY", authorizationType="NONE"
    )
    apigateway.put_integration(
        restApiId=api_id,
        resourceId=resource_id,
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
    )
    apigateway.create_deployment(restApiId=api_id, stageName="test")

    request = urllib.request.Request(
        f"{ENDPOINT}/_aws/execute-api/{api_id}/test/meetings/7", data=b"{}", method="POST"
    )
    with NO_PROXY.open(request, timeout=30) as response:
        status, body = response.status, json.loads(response.read())

    assert status == 201
    assert body == {"path": "/meetings/7", "method": "POST"}
