"""Consumers of S3/SQS/SNS/EventBridge events and deploy-time jobs; wiring.py is the table."""
