"""The subject access bundle: every record held about one child or one volunteer, in time
order, with the record's history and the log of who viewed each record; produced as a PDF and a
CSV by a tracked background job (like reports.services.export_run)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from core.models import AccessLog
from core.spreadsheet import csv_writer
from dataprotection.models import BundleStatus, SubjectAccessRequest
from dataprotection.services.requests import BUNDLE_ASKED
from dataprotection.subjects import THIRD_PARTY, USER, Source, sources_for

log = logging.getLogger(__name__)

WITHHELD = "[Withheld: information about another person]"
ACCESS_TYPE = "Access log"
HISTORY_TITLE = "Change to the record"
ACTIONS = {
    "view": "Viewed it",
    "view_bundle_contents": "Viewed the records of a subject access request",
    "bundle_download_pdf": "Downloaded the subject access bundle (PDF)",
    "bundle_download_csv": "Downloaded the subject access bundle (CSV)",
}
_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


@dataclass
class Item:
    when: datetime | None
    type_label: str
    key: str
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    withheld: str = ""  # the reason, when the coordinator marked the item to withhold
    section: str = "records"  # or "access": the log of who viewed the records
    has_time: bool = True  # False when the record is dated by a day, not a moment

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.when or _EARLIEST, self.key)


def subject_of(sar: SubjectAccessRequest) -> tuple[str, Any]:
    if sar.child_id:
        return "child", sar.child
    return "volunteer", sar.volunteer


def subject_name(sar: SubjectAccessRequest) -> str:
    _, subject = subject_of(sar)
    return f"{subject.first_name} {subject.last_name}"


# --- Formatting ------------------------------------------------------------------------------


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    return None


def _format(model_field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(model_field, models.FileField):
        return "A file is held"
    if isinstance(value, list | tuple):
        return ", ".join(_format(None, v) for v in value)
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def _field_value(obj: Any, name: str) -> str:
    f = obj._meta.get_field(name)
    return _format(f, getattr(obj, name))


def key_of(obj: Any) -> str:
    public_id = getattr(obj, "public_id", None)
    return f"{obj._meta.label}:{public_id or obj.pk}"


def _source_items(source: Source, kind: str, subject: Any) -> list[Item]:
    model = source.model
    value = subject.user_id if source.via == USER else subject.pk
    if value is None:
        return []
    related = [
        name
        for name in source.fields
        if isinstance(model._meta.get_field(name), models.ForeignKey | models.OneToOneField)
    ]
    rows = model._default_manager.filter(**{source.path: value}).select_related(*related)
    items = []
    for obj in rows.order_by("pk"):
        shown = []
        for name in source.fields:
            label = capfirst(str(model._meta.get_field(name).verbose_name))
            text = _field_value(obj, name)
            if text and name in source.third_party:
                text = THIRD_PARTY
            if text:
                shown.append((label, text))
        raw = getattr(obj, source.when) or getattr(obj, "created_at", None)
        item = Item(_as_datetime(raw), source.title, key_of(obj), source.title, shown)
        item.has_time = isinstance(raw, datetime)
        items.append(item)
    return items


def _history_items(subject: Any) -> list[Item]:
    """The subject's own record, change by change: who changed what, when and why."""
    model = type(subject)
    records = list(subject.history.all().select_related("history_user").order_by("history_id"))
    fk_cache: dict[tuple[str, Any], str] = {}

    def shown(name: str, value: Any) -> str:
        f = model._meta.get_field(name)
        if isinstance(f, models.ForeignKey) and value is not None:
            k = (name, value)
            if k not in fk_cache:
                related: Any = f.related_model
                found = related._default_manager.filter(pk=value).first()
                fk_cache[k] = str(found) if found else "(removed)"
            return fk_cache[k]
        return _format(f, value) or "(blank)"

    whose = "the child" if model._meta.model_name == "child" else "the volunteer"
    type_label = f"History of {whose}'s record"
    items = []
    previous = None
    for record in records:
        fields = [
            ("Changed by", str(record.history_user) if record.history_user else "The system"),
        ]
        if record.history_change_reason:
            fields.append(("Reason given", record.history_change_reason))
        if record.history_type == "+":
            title = "Record created"
        elif record.history_type == "-":
            title = "Record deleted"
        else:
            title = HISTORY_TITLE
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=["updated_at"])
                for change in delta.changes:
                    label = capfirst(str(model._meta.get_field(change.field).verbose_name))
                    old, new = shown(change.field, change.old), shown(change.field, change.new)
                    fields.append((label, f"{old} → {new}"))
                if not delta.changes and not record.history_change_reason:
                    previous = record
                    continue
        previous = record
        items.append(
            Item(
                record.history_date,
                type_label,
                f"{record._meta.label}:{record.history_id}",
                title,
                fields,
            )
        )
    return items


def _access_items(records: list[Item], type_titles: dict[str, str]) -> list[Item]:
    wanted: dict[str, set[str]] = {}
    for item in records:
        label, _, ident = item.key.partition(":")
        if label.split(".")[-1].startswith("Historical"):
            continue
        wanted.setdefault(label.lower(), set()).add(ident)
    if not wanted:
        return []
    query = Q()
    for record_type, ids in wanted.items():
        query |= Q(record_type=record_type, record_public_id__in=ids)
    items = []
    for row in AccessLog.objects.filter(query).select_related("user").order_by("at", "pk"):
        items.append(
            Item(
                row.at,
                ACCESS_TYPE,
                f"core.AccessLog:{row.pk}",
                "Record viewed",
                [
                    ("Who", str(row.user)),
                    (
                        "What they did",
                        ACTIONS.get(row.action) or capfirst(row.action.replace("_", " ")),
                    ),
                    ("Record", f"{type_titles.get(row.record_type, row.record_type)}"),
                    ("Record reference", row.record_public_id),
                ],
                section="access",
            )
        )
    return items


def collect(sar: SubjectAccessRequest) -> list[Item]:
    """Every item about the request's subject, before the coordinator's redactions."""
    kind, subject = subject_of(sar)
    records: list[Item] = []
    titles: dict[str, str] = {}
    for source in sources_for(kind):
        titles.setdefault(source.label.lower(), source.title)
        records.extend(_source_items(source, kind, subject))
    records.extend(_history_items(subject))
    records.sort(key=lambda i: i.sort_key)
    return records + _access_items(records, titles)


def redactions_of(sar: SubjectAccessRequest) -> dict[str, str]:
    return dict(sar.redactions.values_list("item_key", "reason"))


def items_for(sar: SubjectAccessRequest) -> list[Item]:
    """The bundle's items in time order (the access log last), with the redactions applied:
    a withheld item keeps its date and type, and nothing of its content."""
    withheld = redactions_of(sar)
    items = collect(sar)
    for item in items:
        if item.key in withheld:
            item.withheld = withheld[item.key] or "Information about another person"
            item.fields = []
            item.title = WITHHELD
    return items


# --- The job ---------------------------------------------------------------------------------


def _update(request_id: int, **fields: Any) -> None:
    SubjectAccessRequest.objects.filter(pk=request_id).update(updated_at=timezone.now(), **fields)


def summary(items: list[Item], kind: str = "child") -> list[dict[str, Any]]:
    """Items and withheld items per type of record, in the registry's order."""
    order = [s.title for s in sources_for(kind)]
    rows: dict[str, dict[str, Any]] = {}
    for item in items:
        row = rows.setdefault(item.type_label, {"type": item.type_label, "count": 0, "withheld": 0})
        row["count"] += 1
        row["withheld"] += bool(item.withheld)
    return sorted(
        rows.values(),
        key=lambda r: order.index(r["type"]) if r["type"] in order else 1,
    )


def produced_by(sar: SubjectAccessRequest) -> Any:
    asked = (
        sar.history.filter(history_change_reason=BUNDLE_ASKED)
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    return asked.history_user if asked else None


def render_pdf(sar: SubjectAccessRequest, items: list[Item]) -> bytes:
    from weasyprint import HTML

    records = [i for i in items if i.section == "records"]
    access = [i for i in items if i.section == "access"]
    kind, subject = subject_of(sar)
    html = render_to_string(
        "dataprotection/bundle_pdf.html",
        {
            "sar": sar,
            "kind": kind,
            "subject": subject,
            "subject_name": subject_name(sar),
            "records": records,
            "access": [
                {
                    "item": i,
                    **dict(
                        zip(("who", "did", "record", "ref"), (f[1] for f in i.fields), strict=False)
                    ),
                }
                for i in access
            ],
            "summary": summary(records, kind),
            "access_count": len(access),
            "withheld_count": sum(bool(i.withheld) for i in items),
            "produced_by": produced_by(sar),
            "produced_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def render_csv(items: list[Item]) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["When", "Record type", "Record", "Field", "Value"])
    for item in items:
        when = ""
        if item.when:
            stamp = timezone.localtime(item.when)
            when = date_format(stamp, "Y-m-d H:i" if item.has_time else "Y-m-d")
        rows = [("Withheld", item.withheld)] if item.withheld else item.fields or [("", "")]
        for label, value in rows:
            writer.writerow([when, item.type_label, item.key, label, value])
    return out.getvalue().encode("utf-8-sig")


def build(*, request_id: int) -> str:
    """Produce the bundle. Claimed with a conditional update (waiting -> being produced), so a
    second delivery of the task, or a bundle already produced, does nothing."""
    claimed = SubjectAccessRequest.objects.filter(
        pk=request_id, bundle_status=BundleStatus.QUEUED
    ).update(
        bundle_status=BundleStatus.RUNNING,
        bundle_progress=5,
        bundle_started_at=timezone.now(),
        bundle_finished_at=None,
        bundle_error="",
        updated_at=timezone.now(),
    )
    if not claimed:
        return "already claimed"
    sar = SubjectAccessRequest.objects.select_related(
        "scheme", "child", "volunteer", "assigned_to", "released_by"
    ).get(pk=request_id)
    try:
        items = items_for(sar)
        _update(request_id, bundle_progress=40)
        pdf = render_pdf(sar, items)
        _update(request_id, bundle_progress=80)
        csv_bytes = render_csv(items)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        name = f"subject-access-{sar.public_id}-{stamp}"
        old = [f.name for f in (sar.bundle_pdf, sar.bundle_csv) if f]
        from django.core.files.base import ContentFile

        sar.bundle_pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        sar.bundle_csv.save(f"{name}.csv", ContentFile(csv_bytes), save=False)
        _update(
            request_id,
            bundle_pdf=sar.bundle_pdf.name,
            bundle_csv=sar.bundle_csv.name,
            bundle_items=sum(1 for i in items if i.section == "records"),
            bundle_status=BundleStatus.DONE,
            bundle_progress=100,
            bundle_finished_at=timezone.now(),
        )
        # The bundle is replaced, not kept alongside: only the newest may be released.
        for path in old:
            sar.bundle_pdf.storage.delete(path)
        return BundleStatus.DONE
    except Exception as exc:
        log.exception("subject access bundle %s failed", request_id)
        _update(
            request_id,
            bundle_status=BundleStatus.FAILED,
            bundle_error=f"{type(exc).__name__}: {exc}"[:2000],
            bundle_finished_at=timezone.now(),
        )
        return BundleStatus.FAILED
