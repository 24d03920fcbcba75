"""Benchmarks: `make bench` (python -m bench). They print tables; they are never timed tests."""
