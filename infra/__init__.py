"""doctor-live's CDK app: one stack per stage, generated from the route and event tables.

Kept import-light on purpose: `python -m infra.deploy_local` imports this package without
paying for aws_cdk.
"""
