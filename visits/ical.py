"""An RFC 5545 calendar of an IV's planned visits, written by hand (no dependency).

Calendar apps copy feeds to other companies' servers, so an event says as little as it can:
the kind of contact, the activity and place the IV typed, never the child's surname (nor their
first name: the IV knows who it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from visits.models import Visit


def escape(text: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b" "
            limit = 75  # the leading space counts towards the next line's 75
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(visit: Visit, *, host: str, now: datetime) -> list[str]:
    summary = f"IV visit: {visit.get_kind_display()}"
    if visit.activity:
        summary += f" – {visit.activity}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{visit.public_id}@{host}",
        f"DTSTAMP:{stamp(now)}",
        f"DTSTART:{stamp(visit.starts_at)}",
        f"DTEND:{stamp(visit.expected_end)}",
        f"SUMMARY:{escape(summary)}",
    ]
    if visit.place:
        lines.append(f"LOCATION:{escape(visit.place)}")
    if visit.platform_id and visit.platform:
        lines.append(f"DESCRIPTION:{escape('On ' + visit.platform.name)}")
    lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(visits: Iterable[Visit], *, host: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ivscheme//Visits//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:IV visits",
    ]
    for visit in visits:
        lines.extend(event(visit, host=host, now=now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
