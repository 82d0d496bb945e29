"""Run Python Lambda handlers as host processes under LocalStack (LAMBDA_RUNTIME_EXECUTOR=host)."""
