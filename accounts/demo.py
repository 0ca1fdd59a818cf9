"""The demo accounts' shared, published password (`manage.py seed_demo`, DEBUG only)."""

DEMO_PASSWORD = "ivscheme-demo-2026"  # noqa: S105 - published demo password, DEBUG only
