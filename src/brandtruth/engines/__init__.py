"""The two engines behind one contract (`base`): `temporal` (normal) and `local` (degraded mode).

They are siblings: neither imports the other nor the API (tests/test_architecture.py checks it).
"""
