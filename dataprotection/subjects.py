"""Where a person's records are: the registry a subject access bundle is built from.

Each `Source` names one model, the lookup from it to the child (or to the volunteer, or to the
volunteer's user account), the field that dates it, a title and the fields shown. The test
dataprotection/tests/test_subjects.py walks every model of the project: a model whose foreign
keys reach referrals.Child (or volunteers.Volunteer) must be in the registry or in EXCLUDED with
a reason, so a new table of children's data cannot be left out of a bundle silently.

Besides the sources, a bundle holds the subject's own record's history (corrections: who
changed what, when, why) and the access log of every record in it (who viewed it).
"""

from __future__ import annotations

from dataclasses import dataclass

from referrals import child_fields

# The subject's value a source is filtered by: the child or volunteer record itself, or the
# volunteer's user account (matches, visits, claims and concerns point at the account).
SUBJECT = "subject"
USER = "user"

# Shown instead of another person's details that a volunteer's bundle must not disclose.
THIRD_PARTY = "[Withheld: information about another person]"


@dataclass(frozen=True)
class Source:
    label: str  # "app.Model"
    title: str  # what one record is called in the bundle
    path: str  # lookup from the model to the subject ("pk" for the subject's own record)
    when: str  # the field that places the record in time
    fields: tuple[str, ...]  # shown, with their verbose names
    via: str = SUBJECT
    # Fields about someone else, withheld before anyone marks anything (volunteer bundles).
    third_party: tuple[str, ...] = ()

    @property
    def model(self):  # type: ignore[no-untyped-def]
        from django.apps import apps

        return apps.get_model(self.label)


CHILD_SOURCES: tuple[Source, ...] = (
    Source(
        "referrals.Child", "The child's record", "pk", "created_at",
        child_fields.bundle_field_names(),  # declared once, in referrals/child_fields.py
    ),
    Source(
        "referrals.Child", "A duplicate record merged into this one", "merged_into",
        "created_at", ("first_name", "last_name", "date_of_birth", "case_number", "created_by"),
    ),
    Source(
        "referrals.Placement", "Placement", "child", "started_on",
        ("kind", "carer_name", "carer_phone", "carer_email", "address", "started_on",
         "ended_on", "created_by"),
    ),
    Source(
        "referrals.SocialWorkerAllocation", "Social worker allocated", "child", "started_at",
        ("social_worker", "started_at", "ended_at", "created_by"),
    ),
    Source(
        "referrals.LookedAfterReview", "Looked-after review", "child", "held_on",
        ("held_on", "iv_considered", "notes", "created_by"),
    ),
    Source(
        "referrals.Referral", "Referral", "child", "created_at",
        ("status", "referred_by", "reason", "reason_note", "child_objects", "received_at",
         "met_on", "met_by", "child_wants", "waiting_since", "closed_at", "closing_reason",
         "closing_note"),
    ),
    Source(
        "referrals.ReferralEvent", "Referral step", "referral__child", "at",
        ("from_status", "to_status", "actor", "note"),
    ),
    Source(
        "matches.Match", "Match with an independent visitor", "child", "created_at",
        ("status", "volunteer", "coordinator", "started_on", "ended_on", "visiting_frequency",
         "introduction_on", "introduction_notes", "trial_review_on", "trial_decision",
         "trial_child_view", "trial_iv_view", "ending_reason", "planned_end_on",
         "closure_reason", "closure_child_view", "closure_iv_view", "closure_carer_view",
         "closure_sw_view", "closure_note", "closed_at", "care_leaver"),
    ),
    Source(
        "matches.MatchEvent", "Match step", "match__child", "at",
        ("from_status", "to_status", "actor", "note"),
    ),
    Source(
        "matches.MatchReview", "Match review", "match__child", "held_on",
        ("kind", "held_on", "child_feedback", "iv_feedback", "carer_feedback", "sw_feedback",
         "quality", "created_by"),
    ),
    Source(
        "visits.Visit", "Visit", "match__child", "starts_at",
        ("starts_at", "expected_end", "place", "activity", "kind", "status", "checked_in_at",
         "checked_out_at", "cancelled_at", "cancelled_by", "cancel_reason"),
    ),
    Source(
        "visits.VisitEvent", "Visit step", "visit__match__child", "at",
        ("from_status", "to_status", "actor", "note"),
    ),
    Source(
        "visits.VisitReport", "Visit report", "visit__match__child", "created_at",
        ("author", "what_we_did", "how_child_seemed", "child_wants", "follow_up",
         "submitted_at", "acknowledged_at", "acknowledged_by"),
    ),
    Source(
        "visits.ReportNote", "Note on a visit report", "report__visit__match__child",
        "created_at", ("kind", "author", "text"),
    ),
    Source(
        "expenses.PreAuthorisation", "Expense pre-authorisation", "visit__match__child",
        "created_at", ("reference", "volunteer", "amount", "reason", "status", "decided_by",
                       "decided_at", "decision_note"),
    ),
    Source(
        "expenses.Claim", "Expense claim for a visit", "match__child", "created_at",
        ("volunteer", "status", "total", "submitted_at", "decided_by", "decided_at",
         "rejection_reason", "paid_on"),
    ),
    Source(
        "expenses.ClaimItem", "Expense claim item", "claim__match__child", "spent_on",
        ("category", "spent_on", "description", "miles", "amount"),
    ),
    Source(
        "expenses.ClaimQuery", "Question about an expense claim", "claim__match__child",
        "created_at", ("question", "answer", "answered_at", "created_by"),
    ),
    Source(
        "expenses.ClaimEvent", "Expense claim step", "claim__match__child", "at",
        ("from_status", "to_status", "actor", "note"),
    ),
    Source(
        "safeguarding.Concern", "Safeguarding record", "child", "occurred_at",
        ("kind", "category", "incident_type", "what_happened", "childs_words", "occurred_at",
         "immediate_danger", "told_child", "raised_by", "status", "acknowledged_at",
         "acknowledged_by", "shared_with_social_worker_at", "closed_at", "closed_by",
         "outcome"),
    ),
    Source(
        "safeguarding.ConcernAction", "Safeguarding action", "concern__child", "happened_at",
        ("kind", "happened_at", "detail", "reference", "actor", "recorded_at"),
    ),
    Source(
        "reports.LacSummary", "Summary for a looked-after review", "match__child", "review_on",
        ("review_on", "period_start", "period_end", "what_we_did", "child_wants_said",
         "child_agreed_on", "iv_agreed_on"),
    ),
    Source(
        "dataprotection.SubjectAccessRequest", "Subject access request", "child",
        "received_on", ("requester_name", "requester_relationship", "received_on", "due_on",
                        "extended_due_on", "extension_reason", "status", "released_on"),
    ),
    Source(
        "dataprotection.Redaction", "Information withheld from a subject access bundle",
        "request__child", "at", ("item_key", "reason", "by"),
    ),
)  # fmt: skip


VOLUNTEER_SOURCES: tuple[Source, ...] = (
    Source(
        "volunteers.Volunteer", "The volunteer's record", "pk", "created_at",
        ("reference", "first_name", "last_name", "email", "phone", "date_of_birth", "gender",
         "area", "enquiry_notes", "motivation", "consent_to_checks", "consent_given_at",
         "stage", "not_proceeding_reason", "interview_on", "interviewer", "interview_outcome",
         "interview_notes", "dbs_certificate_number", "dbs_issued_on",
         "dbs_barred_list_checked", "dbs_update_service", "dbs_status_checked_on",
         "statutory_checks_on", "identity_checked_on", "no_connection_declared_on",
         "code_of_conduct_accepted_on", "team_signed_by", "team_signed_on", "team_comment",
         "service_signed_by", "service_signed_on", "service_comment", "approved_on", "status",
         "status_reason", "interests", "languages", "drives", "insurer",
         "insurance_expires_on"),
    ),
    Source(
        "volunteers.Reference", "Reference", "volunteer", "requested_on",
        ("referee_name", "relationship", "requested_on", "received_on", "satisfactory"),
    ),
    Source(
        "volunteers.TrainingRecord", "Training", "volunteer", "completed_on",
        ("module", "completed_on"),
    ),
    Source(
        "volunteers.SupportSession", "Support or supervision session", "volunteer", "held_on",
        ("kind", "held_on", "attended", "notes"),
    ),
    Source(
        "volunteers.StageChange", "Application step", "volunteer", "at",
        ("from_status", "to_status", "actor", "note"),
    ),
    # Through the volunteer's user account: what they did as an independent visitor. The
    # child's details are another person's and are withheld before anyone looks.
    Source(
        "matches.Match", "Match with a child", "volunteer", "created_at",
        ("child", "status", "coordinator", "started_on", "ended_on", "trial_iv_view",
         "closure_iv_view"),
        via=USER, third_party=("child",),
    ),
    Source(
        "visits.Visit", "Visit made", "match__volunteer", "starts_at",
        ("starts_at", "kind", "status", "checked_in_at", "checked_out_at", "cancelled_by"),
        via=USER,
    ),
    Source(
        "visits.VisitReport", "Visit report written", "author", "created_at",
        ("what_we_did", "how_child_seemed", "child_wants", "follow_up", "submitted_at",
         "acknowledged_by"),
        via=USER,
    ),
    Source(
        "visits.ReportNote", "Note on a visit report", "author", "created_at",
        ("kind", "text"), via=USER,
    ),
    Source(
        "expenses.PreAuthorisation", "Expense pre-authorisation", "volunteer", "created_at",
        ("reference", "amount", "reason", "status", "decided_by", "decided_at",
         "decision_note"),
        via=USER,
    ),
    Source(
        "expenses.Claim", "Expense claim", "volunteer", "created_at",
        ("status", "total", "submitted_at", "decided_by", "decided_at", "rejection_reason",
         "paid_on"),
        via=USER,
    ),
    Source(
        "expenses.ClaimItem", "Expense claim item", "claim__volunteer", "spent_on",
        ("category", "spent_on", "description", "miles", "amount"), via=USER,
    ),
    Source(
        "expenses.ClaimQuery", "Question about an expense claim", "claim__volunteer",
        "created_at", ("question", "answer", "answered_at"), via=USER,
    ),
    Source(
        "expenses.ClaimEvent", "Expense claim step", "claim__volunteer", "at",
        ("from_status", "to_status", "actor", "note"), via=USER,
    ),
    Source(
        "safeguarding.Concern", "Safeguarding concern they raised", "raised_by", "occurred_at",
        ("kind", "category", "child", "what_happened", "occurred_at", "status"),
        via=USER, third_party=("child",),
    ),
    # Allegations about the volunteer are theirs to see, subject to redaction of who made
    # them and of the child's details.
    Source(
        "safeguarding.Concern", "Allegation about the volunteer", "about_volunteer",
        "occurred_at",
        ("kind", "category", "child", "raised_by", "what_happened", "occurred_at", "status",
         "outcome", "closed_at"),
        via=USER, third_party=("child", "raised_by"),
    ),
    Source(
        "complaints.Complaint", "Complaint about the volunteer", "subject_user", "received_on",
        ("reference", "received_on", "complainant_name", "subject", "details", "status",
         "finding", "closed_on"),
        via=USER, third_party=("complainant_name",),
    ),
    Source(
        "dataprotection.SubjectAccessRequest", "Subject access request", "volunteer",
        "received_on", ("requester_name", "requester_relationship", "received_on", "due_on",
                        "extended_due_on", "extension_reason", "status", "released_on"),
    ),
    Source(
        "dataprotection.Redaction", "Information withheld from a subject access bundle",
        "request__volunteer", "at", ("item_key", "reason", "by"),
    ),
)  # fmt: skip


# Models that hold something about a child or a volunteer and are deliberately not in a
# bundle, with the reason. Historical* tables are covered by the record's history section.
EXCLUDED: dict[str, str] = {
    "dataprotection.LegalHold": (
        "Disclosing a hold (for example a police request) may prejudice an investigation "
        "(DPA 2018 Schedule 2 paragraph 2); the data protection officer decides case by case."
    ),
    "dataprotection.DueRecord": (
        "An internal work queue for the retention review, rebuilt every night; it holds "
        "nothing about the person that the records themselves do not."
    ),
}


def sources_for(kind: str) -> tuple[Source, ...]:
    return CHILD_SOURCES if kind == "child" else VOLUNTEER_SOURCES
