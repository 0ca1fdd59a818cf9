"""Put on PYTHONPATH by tests.clock.subprocess_env(): a process a test starts (a Celery worker,
`manage.py`) runs on the test's pinned clock instead of the real one. Never on a real path."""

import os

_now = os.environ.get("IVSCHEME_TEST_NOW")
if _now:
    import time_machine

    time_machine.travel(_now, tick=True).start()
