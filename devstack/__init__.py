"""The local dev stack: what `make dev` starts and what the tests reuse."""
