"""Data generators and benchmarks for Accord (outside the package)."""
