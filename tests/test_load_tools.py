"""`make load` checks that every report the simulated IVs sent arrived exactly once: the check
itself, on made-up submissions and database rows (no server, no database)."""

from __future__ import annotations

import json

from tools.load import check_exactly_once, read_submissions, summarise

SENT = {"a": "v1", "b": "v2", "c": "v3"}


def test_every_report_once_is_exactly_once() -> None:
    result = check_exactly_once(SENT, {"a", "b", "c"}, [("a", "v1"), ("b", "v2"), ("c", "v3")])
    assert result["exactly_once"]
    assert (result["submitted"], result["confirmed"], result["found"]) == (3, 3, 3)
    assert result["missing"] == result["duplicated"] == result["unexpected"] == 0


def test_a_report_the_server_confirmed_but_lost_is_missing() -> None:
    result = check_exactly_once(SENT, {"a", "b", "c"}, [("a", "v1"), ("c", "v3")])
    assert not result["exactly_once"]
    assert (result["found"], result["missing"], result["confirmed_missing"]) == (2, 1, 1)
    assert result["examples"]["missing"] == ["b"]


def test_an_unconfirmed_report_that_did_arrive_is_found() -> None:
    # The answer was lost (the phone would send it again): the report is still there once.
    result = check_exactly_once(SENT, {"a", "c"}, [("a", "v1"), ("b", "v2"), ("c", "v3")])
    assert result["exactly_once"]
    assert (result["confirmed"], result["found"]) == (2, 3)


def test_two_rows_for_one_client_id_or_one_visit_are_duplicates() -> None:
    same_id = check_exactly_once(
        SENT, set(SENT), [("a", "v1"), ("a", "v1"), ("b", "v2"), ("c", "v3")]
    )
    assert not same_id["exactly_once"]
    assert same_id["duplicated"] == 2  # one extra row by client id, one by visit
    # A resend that made a second report under a new id: an unexpected row on the same visit.
    new_id = check_exactly_once(
        SENT, set(SENT), [("a", "v1"), ("x", "v1"), ("b", "v2"), ("c", "v3")]
    )
    assert not new_id["exactly_once"]
    assert (new_id["duplicated"], new_id["unexpected"]) == (1, 1)


def test_a_report_on_another_visit_is_misplaced() -> None:
    result = check_exactly_once(SENT, set(SENT), [("a", "v1"), ("b", "v3"), ("c", "v9")])
    assert not result["exactly_once"]
    assert result["misplaced"] == 2


def test_a_report_cut_off_by_the_end_of_the_run_is_not_a_loss() -> None:
    # "c" was still being sent when the run stopped: the phone would send it again.
    result = check_exactly_once(SENT, {"a"}, [("a", "v1")], finished={"a", "b"})
    assert not result["exactly_once"]
    assert (result["missing"], result["interrupted"]) == (1, 1)
    assert result["examples"]["missing"] == ["b"]  # its sending failed: that one is lost
    cut_off = check_exactly_once(SENT, {"a", "b"}, [("a", "v1"), ("b", "v2")], finished={"a", "b"})
    assert cut_off["exactly_once"]
    assert cut_off["interrupted"] == 1


def test_read_submissions_counts_what_was_sent_confirmed_and_resent() -> None:
    rows = [
        {"event": "sending", "client_id": "a", "visit": "v1"},
        {"event": "confirmed", "client_id": "a", "visit": "v1"},
        {"event": "resent", "client_id": "a", "ok": True},
        {"event": "sending", "client_id": "b", "visit": "v2"},
        {"event": "failed", "client_id": "b", "visit": "v2"},
        {"event": "sending", "client_id": "c", "visit": "v3"},
    ]
    sent = read_submissions([json.dumps(r) for r in rows] + [""])
    assert sent["sending"] == {"a": "v1", "b": "v2", "c": "v3"}
    assert sent["confirmed"] == {"a"}
    assert sent["finished"] == {"a", "b"}
    assert sent["resent"] == 1


def test_summarise_keeps_the_window_and_counts_failed_checks_as_errors() -> None:
    # name, method, start time, ms, ok, error
    samples = [
        ["page", "GET", 5.0, 999.0, True, ""],  # before the window
        *[["page", "GET", 10.0 + i / 10, float(i + 1), True, ""] for i in range(100)],
        ["check", "CHECK", 12.0, 0.0, False, "AssertionError()"],
        ["page", "GET", 30.0, 999.0, True, ""],  # after it
    ]
    result = summarise(samples, 10.0, 20.0)
    overall = result["overall"]
    assert overall["requests"] == 100  # the CHECK is an error, not a request
    assert overall["errors"] == 1
    assert overall["rps"] == 10.0
    assert overall["p50_ms"] == 50.5
    assert overall["p95_ms"] == 95.0
    assert overall["max_ms"] == 100.0
