"""The simulated people of `make load` (started by tools/load.py, not on its own).

Fifty IVs each sign in, then go round their journey one step at a time, with 1-3 s between
steps (LOAD_WAIT), a brisk person reading and typing: home, plan a face-to-face visit on
their match (today, starting now), check in, check out, open the report form, send the report
the way the phone's outbox does (the form's client id, answered in JSON), read it; about one
send in five is sent a second time with the same client id, as a phone that lost its signal
does. Five coordinators sign in and browse the dashboard, the waiting list, children, matches
and the report queue.

Every report is written to the `submitted` file before it is sent, and again once the server
confirms it (or the sending failed), so tools/load.py can check in the database that each
arrived exactly once.

The measured window starts when everyone has signed in (sign-in is timed too, but it is one
deliberately slow password hash per person per 12-hour session, not the pages under load) and
lasts LOAD_SECONDS; then the users finish the step they are in and stop. Every request is kept
as a sample so tools/load.py computes exact percentiles.

Configured by LOAD_PLAN (a JSON file written by tools/load.py: accounts, URL templates, ids),
LOAD_SECONDS, LOAD_WAIT ("1,3": seconds between steps) and LOAD_OUT (the prefix of the files
this writes). No Django import: Locust runs under gevent in its own process.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
OUT = os.environ["LOAD_OUT"]
URLS: dict[str, str] = PLAN["urls"]
ID = PLAN["id_placeholder"]
TZ = ZoneInfo(PLAN["time_zone"])
MARK = PLAN["visit_mark"]
# Seconds between two steps of a person, "min,max" (LOAD_WAIT); 1-3 s is a brisk user.
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,3").split(","))
# The share of sent reports sent again with the same client id (a retry after lost signal).
RESEND_SHARE = 0.2

rng = random.Random()  # noqa: S311 - pacing and choices, not security

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_ID_RE = re.compile(r'<input[^>]*name="client_id"[^>]*>')
VALUE_RE = re.compile(r'value="([^"]+)"')
# The visit's status: the lead's first words, inside its status tag (includes/status_tag.html).
STATUS_RE = re.compile(r'<p class="lead">(?:<span class="badge[^"]*">)?([^<·]+)')

# Everyone signs in, then the window opens for all at once.
expected_users = len(PLAN["ivs"]) + PLAN["coordinator_users"]
arrived = 0
all_in = Event()
window: dict[str, float | None] = {"start": None, "end": None}
samples: list[list[Any]] = []
iv_seats = itertools.count()
coordinator_seats = itertools.count()
submitted = Path(f"{OUT}-submitted.jsonl").open("a", buffering=1)  # noqa: SIM115 - whole run


def url(name: str, public_id: str | None = None) -> str:
    template = URLS[name]
    return template.replace(ID, public_id) if public_id is not None else template


def record_submission(**fields: Any) -> None:
    submitted.write(json.dumps({"at": time.time(), **fields}) + "\n")


@events.request.add_listener
def keep_sample(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None,
    start_time: float,
    **kwargs: Any,
) -> None:
    samples.append(
        [name, request_type, start_time, response_time, exception is None, repr(exception)[:300]]
    )


def open_window(environment: Environment) -> None:
    window["start"] = time.time()
    all_in.set()

    def close() -> None:
        window["end"] = time.time()
        if environment.runner is not None:
            environment.runner.quit()  # users finish their current step (--stop-timeout)

    gevent.spawn_later(SECONDS, close)


@events.quitting.add_listener
def write_results(environment: Environment, **kwargs: Any) -> None:
    if window["start"] is not None and window["end"] is None:
        window["end"] = time.time()
    Path(f"{OUT}-samples.json").write_text(
        json.dumps(
            {
                "window": window,
                "expected_users": expected_users,
                "arrived": arrived,
                "samples": samples,
            }
        )
    )
    submitted.close()


class Person(FastHttpUser):
    abstract = True
    wait_time = between(WAIT[0], WAIT[-1])
    # A slow answer is a slow answer, not a dropped one: only give up after a minute.
    network_timeout = 60.0
    connection_timeout = 10.0

    email = ""
    page = ""

    def get_page(self, path: str, name: str, expect: str | None = None) -> str | None:
        """GET a page that must answer 200 (and contain `expect`); its HTML, or None."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{name}: HTTP {r.status_code} {r.headers.get('Location', '')}")
                return None
            text = r.text or ""
            if expect is not None and expect not in text:
                r.failure(f"{name}: the page does not say {expect!r}")
                return None
            self.page = text
            return text

    def post_redirect(self, path: str, data: dict[str, str], name: str) -> str | None:
        """POST a form that must answer with a redirect; where to, or None."""
        with self.client.post(
            path, data=data, name=name, catch_response=True, allow_redirects=False
        ) as r:
            location = r.headers.get("Location") if r.headers else None
            if r.status_code != 302 or not location:
                r.failure(f"{name}: HTTP {r.status_code}, expected a redirect")
                return None
            return str(location)

    def csrf(self) -> str:
        found = CSRF_RE.search(self.page)
        return found.group(1) if found else ""

    def sign_in(self) -> bool:
        if self.get_page(url("login"), "sign in (form)") is None:
            return False
        data = {"username": self.email, "password": PLAN["password"]}
        data["csrfmiddlewaretoken"] = self.csrf()
        location = self.post_redirect(url("login"), data, "sign in")
        return location is not None

    def on_start(self) -> None:
        global arrived
        ok = self.sign_in()
        arrived += 1
        if arrived == expected_users:
            open_window(self.environment)
        if not ok:
            raise StopUser()
        # Wait for everyone, then start at a random moment, as people do.
        all_in.wait(timeout=300)
        gevent.sleep(rng.uniform(0, 3))


class IndependentVisitor(Person):
    fixed_count = len(PLAN["ivs"])

    def on_start(self) -> None:
        seat = PLAN["ivs"][next(iv_seats) % len(PLAN["ivs"])]
        self.email = seat["email"]
        self.visit: str | None = None
        self.step = "home"
        super().on_start()

    @task
    def next_step(self) -> None:
        """One step of the journey per task call, so the wait between steps is a person's and
        a stop lets the step in progress finish. None starts once the window has closed (a
        user woken just as Locust stops it can be killed mid-request)."""
        if window["end"] is not None:
            raise StopUser()
        getattr(self, f"step_{self.step}")()

    def step_home(self) -> None:
        if self.get_page(url("home"), "IV home", expect="Plan a visit") is not None:
            self.step = "plan_form"

    def step_plan_form(self) -> None:
        self.step = "plan" if self.get_page(url("plan"), "plan form") is not None else "home"

    def step_plan(self) -> None:
        # Today, starting now (so check-in is open), an hour long; late at night the visit
        # starts earlier in the day, which the form allows (today or later).
        now = datetime.now(TZ).replace(second=0, microsecond=0)
        start = min(now, now.replace(hour=22, minute=0))
        data = {
            "csrfmiddlewaretoken": self.csrf(),
            "date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": (start + timedelta(hours=1)).strftime("%H:%M"),
            "kind": "face_to_face",
            "platform": "",
            "place": "Town centre",
            "activity": f"{MARK} Bowling and a milkshake",
            "named_person_name": "Sam Carter",
            "named_person_phone": "07700 900123",
        }
        location = self.post_redirect(url("plan"), data, "plan visit")
        self.step = "home"
        if location is None:
            return
        prefix, _, suffix = url("visit_detail").partition(ID)
        public_id = location.removeprefix(prefix).removesuffix(suffix)
        if self.get_page(location, "visit page", expect="Check in") is not None:
            self.visit = public_id
            self.step = "check_in"

    def _visit_action(self, action: str, name: str, now_says: str, then: str) -> None:
        assert self.visit is not None
        location = self.post_redirect(
            url(action, self.visit), {"csrfmiddlewaretoken": self.csrf()}, name
        )
        self.step = "home"
        if location is None:
            return
        page = self.get_page(location, "visit page")
        status = STATUS_RE.search(page or "")
        if page is not None and status and status.group(1).strip() == now_says:
            self.step = then
        elif page is not None:
            events.request.fire(
                request_type="CHECK",
                name=f"{name}: visit status",
                response_time=0,
                response_length=0,
                exception=AssertionError(f"the visit is not {now_says!r} after {name}"),
                context={},
                start_time=time.time(),
            )

    def step_check_in(self) -> None:
        self._visit_action("check_in", "check in", "Under way", "check_out")

    def step_check_out(self) -> None:
        self._visit_action("check_out", "check out", "Held", "report_form")

    def step_report_form(self) -> None:
        assert self.visit is not None
        page = self.get_page(url("report", self.visit), "report form")
        self.step = "report" if page is not None else "home"

    def step_report(self) -> None:
        assert self.visit is not None
        tag = CLIENT_ID_RE.search(self.page)
        value = VALUE_RE.search(tag.group(0)) if tag else None
        self.step = "home"
        if value is None:
            events.request.fire(
                request_type="CHECK",
                name="report form: client id",
                response_time=0,
                response_length=0,
                exception=AssertionError("the report form has no client id"),
                context={},
                start_time=time.time(),
            )
            return
        client_id = value.group(1)
        data = {
            "csrfmiddlewaretoken": self.csrf(),
            "client_id": client_id,
            "what_we_did": "Bowling, then a milkshake. We talked about her new school.",
            "how_child_seemed": "Cheerful, a bit tired by the end.",
            "child_wants": "To go climbing next time.",
            "follow_up": "",
        }
        record_submission(event="sending", client_id=client_id, visit=self.visit, iv=self.email)
        report_url = self._send(url("report", self.visit), data, "send report")
        if report_url is None:
            record_submission(event="failed", client_id=client_id, visit=self.visit)
            return
        record_submission(event="confirmed", client_id=client_id, visit=self.visit)
        if rng.random() < RESEND_SHARE:
            again = self._send(url("report", self.visit), data, "send report again", again=True)
            record_submission(event="resent", client_id=client_id, ok=again is not None)
        self.get_page(report_url, "report page", expect="Bowling")

    def _send(self, path: str, data: dict[str, str], name: str, again: bool = False) -> str | None:
        """POST the report as the phone's outbox does; retried (same client id) when the
        answer is lost or a server error, as the outbox retries. The report's URL, or None."""
        headers = {"Accept": "application/json", "X-CSRFToken": data["csrfmiddlewaretoken"]}
        for attempt in range(3):
            label = name if attempt == 0 else f"{name} (retry)"
            with self.client.post(
                path,
                data=data,
                headers=headers,
                name=label,
                catch_response=True,
                allow_redirects=False,
            ) as r:
                if r.status_code == 200:
                    try:
                        body = json.loads(r.text or "")
                    except ValueError:
                        r.failure(f"{label}: not JSON")
                        return None
                    # A first send makes the report, a second one finds it; after a lost
                    # answer a retry may find what the first attempt made.
                    wrong = attempt == 0 and body.get("created") == again
                    if body.get("status") != "sent" or wrong:
                        r.failure(f"{label}: answered {body!r}")
                        return None
                    return str(body["url"])
                r.failure(f"{label}: HTTP {r.status_code}")
                if r.status_code and r.status_code < 500:
                    return None
            gevent.sleep(1 + attempt)
        return None


class Coordinator(Person):
    fixed_count = PLAN["coordinator_users"]

    def on_start(self) -> None:
        seat = next(coordinator_seats)
        people = PLAN["coordinators"]
        self.me: dict[str, Any] = people[seat % len(people)]
        self.email = self.me["email"]
        super().on_start()

    @task(2)
    def dashboard(self) -> None:
        self.get_page(url("home"), "dashboard")

    @task(2)
    def waiting_list(self) -> None:
        self.get_page(url("waiting"), "waiting list")

    @task(3)
    def child_page(self) -> None:
        self.get_page(url("child", rng.choice(self.me["children"])), "child page")

    @task(2)
    def match_page(self) -> None:
        self.get_page(url("match", rng.choice(self.me["matches"])), "match page")

    @task(2)
    def report_queue(self) -> None:
        self.get_page(url("report_queue"), "report queue")
