"""Benchmarks that print figures (`name: value unit`); not part of the pass/fail suite."""
