"""AWS clients, created once per process. boto3 honours AWS_ENDPOINT_URL, so the same code talks
to LocalStack in dev and tests and to AWS in the cloud. Imported only by functions that need AWS
(boto3 is a cold-start cost the others do not pay)."""
from __future__ import annotations

from functools import cache


@cache
def client(service: str):
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 5},
                    s3={"addressing_style": "path"} if service == "s3" else None,
                    signature_version="s3v4" if service == "s3" else None)
    return boto3.client(service, config=config)
