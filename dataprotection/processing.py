"""Records of processing (UK GDPR Article 30), generated from the models so that it stays true.

Each category names its models; the fields listed on the page are read from the models
themselves, so a new field appears without anyone remembering to add it. A model that belongs
to no category and is not declared NOT_PERSONAL fails dataprotection/tests/test_processing.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from dataprotection.models import RecordType
from dataprotection.services import retention
from referrals import child_fields

PUBLIC_TASK_CHILDREN = (
    "Public task, UK GDPR Article 6(1)(e): the local authority's duty to appoint an "
    "independent visitor (Children Act 1989 s23ZB; Care Planning, Placement and Case Review "
    "(England) Regulations 2010)."
)
SPECIAL_CHILDREN = (
    "Article 9(2)(g) substantial public interest: DPA 2018 Schedule 1 paragraph 6 (statutory "
    "purposes) and paragraph 18 (safeguarding of children and individuals at risk)."
)


@dataclass(frozen=True)
class Category:
    name: str
    purpose: str
    models: tuple[str, ...]
    lawful_basis: str
    special_basis: str
    # Record types whose retention rule governs the category (per scheme), or fixed text.
    retention_types: tuple[str, ...] = ()
    retention_text: str = ""
    who_can_see: str = ""
    recipients: str = ""


CATEGORIES: tuple[Category, ...] = (
    Category(
        name="Children's case records",
        purpose="Referring a looked-after child, keeping what an IV needs to keep them safe, "
        "and tracking their placement, social worker and reviews.",
        models=(
            "referrals.Child",
            "referrals.Placement",
            "referrals.SocialWorkerAllocation",
            "referrals.LookedAfterReview",
            "referrals.Referral",
            "referrals.ReferralEvent",
        ),
        lawful_basis=PUBLIC_TASK_CHILDREN,
        special_basis=SPECIAL_CHILDREN,
        retention_types=(RecordType.CHILD_CASE, RecordType.CHILD_DIED),
        who_can_see="The scheme's coordinators and managers; the child's allocated social "
        "worker. The child's IV sees only the visit card (first name, age and what keeps the "
        "child safe).",
        recipients="The child's social worker and their looked-after review.",
    ),
    Category(
        name="Matches, visits and visit reports",
        purpose="Introducing a child to their IV, planning visits, lone-working check-in and "
        "check-out, and the IV's report of each visit.",
        models=(
            "matches.Match",
            "matches.MatchEvent",
            "matches.MatchReview",
            "visits.Visit",
            "visits.VisitEvent",
            "visits.VisitReport",
            "visits.ReportNote",
            "reports.LacSummary",
        ),
        lawful_basis=PUBLIC_TASK_CHILDREN,
        special_basis=SPECIAL_CHILDREN,
        retention_types=(RecordType.CHILD_CASE,),
        who_can_see="The scheme's coordinators and managers; the IV of the match (their own "
        "visits and reports); the child's social worker (reports shared with them).",
        recipients="The child's looked-after review, with the child's agreement.",
    ),
    Category(
        name="Safeguarding concerns, incidents and allegations",
        purpose="Recording and acting on worries about a child's safety, incidents on visits "
        "and allegations about volunteers.",
        models=("safeguarding.Concern", "safeguarding.ConcernAction"),
        lawful_basis="Public task, Article 6(1)(e), and legal obligation, Article 6(1)(c) "
        "(Children Act 1989 s47; Working Together to Safeguard Children).",
        special_basis=SPECIAL_CHILDREN,
        retention_types=(RecordType.CHILD_CASE, RecordType.ALLEGATION),
        who_can_see="The scheme's coordinators and managers. The person who raised a concern "
        "sees that they raised it, not what was done.",
        recipients="Children's social care, the police and the LADO when the law requires.",
    ),
    Category(
        name="Volunteers: recruitment, vetting, training and support",
        purpose="Recruiting, checking and approving independent visitors, their training and "
        "supervision.",
        models=(
            "volunteers.Volunteer",
            "volunteers.Reference",
            "volunteers.TrainingRecord",
            "volunteers.SupportSession",
            "volunteers.StageChange",
        ),
        lawful_basis="Public task, Article 6(1)(e), and legal obligation, Article 6(1)(c) "
        "(Safeguarding Vulnerable Groups Act 2006: barred-list checks).",
        special_basis="Criminal offence data (DBS checks), Article 10: DPA 2018 Schedule 1 "
        "paragraph 18 (safeguarding of children). Equality data with consent.",
        retention_types=(RecordType.VOLUNTEER, RecordType.APPLICANT, RecordType.ALLEGATION),
        who_can_see="The scheme's coordinators and managers; the volunteer sees their own record.",
        recipients="The Disclosure and Barring Service; referees.",
    ),
    Category(
        name="Expenses",
        purpose="Paying volunteers back for what visits cost.",
        models=(
            "expenses.PreAuthorisation",
            "expenses.PaymentBatch",
            "expenses.Claim",
            "expenses.ClaimItem",
            "expenses.ClaimQuery",
            "expenses.ClaimEvent",
        ),
        lawful_basis="Legal obligation, Article 6(1)(c): financial records kept for audit and "
        "HMRC.",
        special_basis="None.",
        retention_types=(RecordType.EXPENSE,),
        who_can_see="The scheme's coordinators and managers; the volunteer sees their own claims.",
        recipients="The council's finance team (payment batches).",
    ),
    Category(
        name="Complaints",
        purpose="The three-stage complaints procedure.",
        models=(
            "complaints.Complaint",
            "complaints.ComplaintStage",
            "complaints.ComplaintEvent",
            "complaints.ComplaintLetter",
        ),
        lawful_basis="Legal obligation, Article 6(1)(c): Children Act 1989 s26 and the "
        "Children Act 1989 Representations Procedure (England) Regulations 2006.",
        special_basis=SPECIAL_CHILDREN,
        retention_types=(RecordType.COMPLAINT,),
        who_can_see="The organisation's complaints managers and the scheme's managers; "
        "coordinators, except complaints about themselves.",
        recipients="The Local Government and Social Care Ombudsman, if asked.",
    ),
    Category(
        name="Accounts, roles and notifications",
        purpose="Signing in, who holds which role in which scheme, reminders and alerts.",
        models=(
            "accounts.User",
            "accounts.Membership",
            "accounts.UserSession",
            "notifications.Notification",
            "notifications.NotificationPreference",
            "visits.CalendarFeed",
            "core.FormSubmission",
        ),
        lawful_basis="Public task, Article 6(1)(e): running the scheme securely.",
        special_basis="None.",
        retention_text="While the person holds a role; signed-in sessions end with the session; "
        "a form's one-time token (which person sent which form) for 30 days.",
        who_can_see="The person themselves; the scheme's coordinators and managers see who "
        "holds which role.",
    ),
    Category(
        name="Access logs",
        purpose="Who looked at a child's record, a concern or a complaint, and when.",
        models=("core.AccessLog",),
        lawful_basis="Legal obligation, Article 6(1)(c): security of processing (Article 32).",
        special_basis="None (the log names the record, not its content).",
        retention_text="As long as the record they describe: destroyed with it.",
        who_can_see="The scheme's managers, on the record's page; the data protection officer.",
    ),
    Category(
        name="Data protection records",
        purpose="Subject access requests, redactions, legal holds and what is due for destruction.",
        models=(
            "dataprotection.SubjectAccessRequest",
            "dataprotection.Redaction",
            "dataprotection.LegalHold",
            "dataprotection.DueRecord",
            "dataprotection.DestructionRecord",
        ),
        lawful_basis="Legal obligation, Article 6(1)(c): UK GDPR Articles 5(2), 15 and 30.",
        special_basis=SPECIAL_CHILDREN,
        retention_text="A request is kept with the record it is about; the destruction log "
        "(anonymous) is kept permanently.",
        who_can_see="The scheme's managers and the organisation's data protection officer; "
        "the coordinator preparing a request sees that request.",
    ),
    Category(
        name="Report exports",
        purpose="Scheme reports for managers and commissioners (counts, no names).",
        models=("reports.ReportExport",),
        lawful_basis="Public task, Article 6(1)(e).",
        special_basis="None (aggregate figures).",
        retention_text="Until the person who asked deletes it or leaves.",
        who_can_see="Only the manager who asked for it.",
    ),
)

# Models that hold no personal data: settings, counters, lookup tables, job bookkeeping.
NOT_PERSONAL: dict[str, str] = {
    "core.WorkerHeartbeat": "worker process heartbeats",
    "accounts.Organisation": "the organisation's name",
    "accounts.Scheme": "the scheme's name and settings",
    "referrals.ReferralSettings": "scheme settings",
    "matches.MatchSchemeSettings": "scheme settings",
    "visits.Platform": "names of video-call platforms",
    "visits.VisitSettings": "scheme settings",
    "expenses.ExpenseSettings": "scheme settings",
    "volunteers.VolunteerSchemeSettings": "scheme settings",
    "complaints.ReferenceCounter": "a counter for complaint references",
    "complaints.LetterTemplate": "letter wording",
    "safeguarding.SafeguardingSettings": "scheme settings",
    "notifications.JobRun": "when each background job ran",
    "notifications.MonitoringSettings": "scheme settings",
    "dataprotection.RetentionRule": "retention periods",
}

# Special category (Article 9) and criminal offence (Article 10) data, by model and field.
SPECIAL_FIELDS: dict[str, dict[str, str]] = {
    # The child's, declared with each field in referrals/child_fields.py.
    "referrals.Child": child_fields.special_fields(),
    "volunteers.Volunteer": {
        "dbs_certificate_number": "criminal offence data",
        "dbs_issued_on": "criminal offence data",
        "dbs_barred_list_checked": "criminal offence data",
        "gender": "may reveal gender identity",
    },
    "safeguarding.Concern": {
        "what_happened": "may include health, sex life and offending",
        "childs_words": "may include health, sex life and offending",
    },
}

# Columns every record has that say nothing about a person.
TECHNICAL = {"id", "public_id", "created_at", "updated_at"}


@dataclass
class FieldRow:
    label: str
    special: str = ""


@dataclass
class ModelRow:
    label: str
    name: str
    fields: list[FieldRow] = field(default_factory=list)


def _field_rows(model: type[models.Model]) -> list[FieldRow]:
    special = SPECIAL_FIELDS.get(model._meta.label, {})
    rows = []
    for f in model._meta.concrete_fields:
        if f.name in TECHNICAL:
            continue
        related = getattr(f.related_model, "_meta", None) if f.is_relation else None
        if related is not None and related.label in ("accounts.Scheme", "accounts.Organisation"):
            continue
        label = str(getattr(f, "verbose_name", f.name))
        rows.append(FieldRow(label=label[:1].upper() + label[1:], special=special.get(f.name, "")))
    return rows


def model_rows(category: Category) -> list[ModelRow]:
    rows = []
    for label in category.models:
        model = apps.get_model(label)
        name = str(model._meta.verbose_name_plural)
        rows.append(
            ModelRow(label=label, name=name[:1].upper() + name[1:], fields=_field_rows(model))
        )
    return rows


def classified_labels() -> set[str]:
    return {label for c in CATEGORIES for label in c.models} | set(NOT_PERSONAL)


def project_models() -> list[type[models.Model]]:
    """Every model of our own apps, without the history shadow tables (the history of a
    record belongs to the record's category)."""
    from django.conf import settings

    ours = {
        name
        for name in settings.INSTALLED_APPS
        if "." not in name and apps.is_installed(name) and (settings.BASE_DIR / name).is_dir()
    }
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in ours and not m.__name__.startswith("Historical")
    ]


def retention_for(
    category: Category, schemes: list[Any], periods: dict[int, dict[str, Any]]
) -> list[tuple[str, str]]:
    """(what, how long) lines for the category, per scheme when the schemes differ.
    `periods` is each scheme's retention.rules_for, by scheme id."""
    if not category.retention_types:
        return [("", category.retention_text)]

    lines: list[tuple[str, str]] = []
    for record_type in category.retention_types:
        label = RecordType(record_type).label
        by_text: dict[str, list[str]] = {}
        for scheme in schemes:
            period = periods[scheme.pk][record_type]
            text = f"{period} from {retention.DEFAULTS[record_type].starts}"
            by_text.setdefault(text, []).append(scheme.name)
        for text, names in by_text.items():
            where = f" ({', '.join(names)})" if len(by_text) > 1 else ""
            lines.append((f"{label}{where}", text))
    return lines


def records_of_processing(schemes: list[Any]) -> list[dict[str, Any]]:
    periods = {s.pk: retention.rules_for(s) for s in schemes}  # one query per scheme
    return [
        {
            "category": c,
            "models": model_rows(c),
            "retention": retention_for(c, schemes, periods),
        }
        for c in CATEGORIES
    ]
