"""`make bench`: server time, query count and SQL share of the main pages on a scale database.

Builds (or reuses) the database `ivscheme_bench` with `seed_demo --scale 50000` on the server
of DATABASE_URL, or on the embedded PostgreSQL when it is unset, and runs VACUUM ANALYZE on it
(what autovacuum does on a live database). Each page is requested 30 times (BENCH_REQUESTS)
in-process with Django's test client (server time: middleware, view, template; no network),
its queries are captured and then replayed on their own to give the raw SQL time.
Then the match suggestions for one child, the lapsed-contact scan and job, and the PDFs
(reports/bench.py: the 12-month scheme report through the export service, and a caseload of
about 500 pages, both counted in pages from the file produced). Prints one table and writes
it as JSON under var/bench/.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
SCALE = int(os.environ.get("BENCH_SCALE", "50000"))
DB_NAME = os.environ.get("BENCH_DB", "ivscheme_bench")


def bench_database_url() -> str:
    from tools.embedded_db import start

    url = os.environ.get("DATABASE_URL")
    if not url:
        return start(DB_NAME)
    # Same server, a database of its own.
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def prepare() -> None:
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DEBUG", "1")
    os.environ["OTP_REQUIRED"] = "0"
    # The lapsed-contact job hands its notifications to the broker for delivery: a broker
    # directory of the bench's own, so nothing is ever delivered and nothing piles up in var/.
    if not os.environ.get("REDIS_URL"):
        broker = Path(tempfile.mkdtemp(prefix="ivscheme-bench-broker-"))
        for sub in ("queue", "control"):
            (broker / sub).mkdir()
        os.environ["CELERY_BROKER_DIR"] = str(broker)
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    seeded = subprocess.run(
        [py, "manage.py", "shell", "-c",
         "from referrals.models import Child; "
         "print(Child.objects.filter(case_number__startswith='X').count())"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    if int(seeded) < SCALE:
        print(f"bench: building the scale database (seed_demo --scale {SCALE}); a few minutes")
        t0 = time.monotonic()
        subprocess.run([py, "manage.py", "seed_demo", "--scale", str(SCALE)], cwd=ROOT, check=True)
        print(f"bench: scale database built in {time.monotonic() - t0:.0f} s")
    else:
        print(f"bench: reusing the scale database ({seeded} scale children)")
    # Planner statistics and the visibility map, as autovacuum keeps them on a live database
    # (a bulk-loaded one has neither, and a server may run with autovacuum off): without the
    # visibility map no index-only scan is possible. Quick when nothing changed.
    t0 = time.monotonic()
    subprocess.run(
        [py, "manage.py", "shell", "--no-imports", "-c",
         "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    print(f"bench: VACUUM ANALYZE in {time.monotonic() - t0:.0f} s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def measure_page(client: Any, url: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and connections
    times = []
    captured: list[dict[str, str]] = []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        captured = list(ctx.captured_queries)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    sql_times = []
    with connection.cursor() as cur:
        for _ in range(5):
            t0 = time.perf_counter()
            for q in captured:
                sql = q["sql"]
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    cur.execute(sql)
                    cur.fetchall()
            sql_times.append((time.perf_counter() - t0) * 1000)
    sql_ms = statistics.median(sql_times)
    median = statistics.median(times)
    return {
        "median_ms": round(median, 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(captured),
        "sql_ms": round(sql_ms, 1),
        "ratio": round(median / sql_ms, 1) if sql_ms else None,
    }


def timed(fn: Any, repeat: int = 5) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(best), 1)


def run() -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivscheme.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from accounts.models import User
    from matches.models import ACTIVE_STATUSES, Match
    from referrals.models import Child

    settings.ALLOWED_HOSTS = ["*"]
    coordinator = User.objects.get(email="coordinator.north@example.org")
    manager = User.objects.get(email="service.manager@example.org")
    north = coordinator.memberships.get().scheme
    child = Child.objects.filter(scheme=north, case_number__startswith="X").order_by("pk").first()
    match = (
        Match.objects.filter(
            scheme=north, status__in=ACTIVE_STATUSES, child__case_number__startswith="X"
        )
        .select_related("volunteer")
        .order_by("pk")
        .first()
    )
    assert child is not None and match is not None, "no scale data"

    def url(name: str, *args: Any) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    pages = [
        ("coordinator dashboard", coordinator, url("portal:home")),
        ("waiting list", coordinator, url("referrals:waiting")),
        ("child page", coordinator, url("children:detail", child.public_id)),
        ("match page", coordinator, url("matches:detail", match.public_id)),
        ("IV home", match.volunteer, url("portal:home")),
        ("visit report queue", coordinator, url("visits:report_queue")),
        ("safeguarding register", coordinator, url("safeguarding:register")),
        ("claims queue", coordinator, url("expenses:queue")),
        ("complaints register", manager, url("complaints:register")),
        ("manager report page", manager, url("reports:report") or url("reports:index")),
    ]
    results: dict[str, Any] = {"pages": {}, "requests_per_page": REQUESTS}
    for label, user, path in pages:
        if path is None:
            results["pages"][label] = {"skipped": "no such page yet"}
            continue
        client = Client()
        client.force_login(user)
        results["pages"][label] = {"url": path, **measure_page(client, path)}

    from matches.selectors import suggestions_for_child
    from visits.reminders import lapsed_contact
    from visits.selectors import lapsed_matches

    today = timezone.localdate()
    waiting = (
        Child.objects.filter(scheme=north, case_number__startswith="X")
        .exclude(matches__status__in=ACTIVE_STATUSES)
        .first()
    )
    results["match_suggestions_ms"] = timed(lambda: suggestions_for_child(waiting or child))
    results["lapsed_contact_scan_ms"] = timed(lambda: lapsed_matches(today))
    results["active_matches"] = Match.objects.filter(status__in=ACTIVE_STATUSES).count()
    # The whole job (the scan, then telling the coordinators): the first run of the day
    # writes the notifications, later ones find them already sent (it is idempotent).
    t0 = time.perf_counter()
    told = lapsed_contact(today)
    results["lapsed_contact_job_first_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    results["lapsed_contact_job_told"] = told
    results["lapsed_contact_job_ms"] = timed(lambda: lapsed_contact(today), repeat=3)
    from reports import bench as report_bench

    results["pdf"] = report_bench.measure(north, manager)
    return results


def print_table(results: dict[str, Any]) -> None:
    print()
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'SQL ms':>9}{'x SQL':>7}")
    for label, r in results["pages"].items():
        if "skipped" in r:
            print(f"{label:<24}  skipped: {r['skipped']}")
            continue
        print(
            f"{label:<24}{r['median_ms']:>10}{r['p95_ms']:>9}{r['queries']:>9}"
            f"{r['sql_ms']:>9}{r['ratio']:>7}"
        )
    print()
    print(
        f"match suggestions, one child against all volunteers: {results['match_suggestions_ms']} ms"
    )
    print(
        f"lapsed-contact scan over {results['active_matches']} active matches: "
        f"{results['lapsed_contact_scan_ms']} ms"
    )
    print(
        f"lapsed-contact job: {results['lapsed_contact_job_first_ms']} ms "
        f"({results['lapsed_contact_job_told']} notifications on this run), "
        f"{results['lapsed_contact_job_ms']} ms when already sent"
    )
    pdf = results["pdf"]
    for key, label in [
        ("report_all_schemes", "12-month report PDF, all schemes"),
        ("report_one_scheme", "12-month report PDF, one scheme"),
    ]:
        r = pdf[key]
        print(f"{label}: {r['seconds']} s, {r['pages']} pages, {r['pages_per_second']} pages/s")
    c = pdf["caseload"]
    print(
        f"caseload PDF ({c['children']} children): {c['pages']} pages in {c['seconds']} s "
        f"= {c['pages_per_second']} pages/s (query {c['query_seconds']} s, "
        f"render {c['render_seconds']} s = {c['render_pages_per_second']} pages/s)"
    )


def main() -> int:
    prepare()
    results = run()
    print_table(results)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
