"""One mechanism for every state machine (issue 20): the allowed-moves table, the check with
the machine's own refusal wording, the move itself (status, history user, validation, save)
and the event row, in one shape (core.models.WorkflowEvent).

The tables stay in each app's services (they are domain facts); an app declares
`FLOW = Workflow(...)` next to its table and calls `FLOW.move(...)`. Every Workflow made is
kept in `REGISTRY`, so a test can walk them all and check that each table covers every
status of its model.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# (record, the status asked for, the caller's words for the step) -> the refusal message.
Refusal = Callable[[Any, str, str], str]

REGISTRY: list[Workflow] = []


class Workflow:
    """A state machine's table of allowed moves and how a move is made and recorded.

    `field` is the record's state field ("status", or "stage" for volunteers); `record` is
    the name of the event model's foreign key to the record ("referral", "match", ...);
    `event_model` may be None for a machine that keeps no event trail.
    """

    def __init__(
        self,
        name: str,
        moves: Mapping[str, Collection[str]],
        *,
        states: Iterable[str],
        refusal: Refusal,
        event_model: type[models.Model] | None,
        record: str = "",
        field: str = "status",
        note_limit: int | None = None,
    ) -> None:
        self.name = name
        self.moves: dict[str, frozenset[str]] = {
            str(k): frozenset(str(v) for v in vs) for k, vs in moves.items()
        }
        self.states = [str(s) for s in states]
        self.refusal_message = refusal
        self.event_model = event_model
        self.record = record
        self.field = field
        self.note_limit = note_limit
        if event_model is not None and not record:
            raise ValueError(f"{name}: an event model needs the name of its record's field")
        REGISTRY.append(self)

    def __repr__(self) -> str:
        return f"Workflow({self.name!r})"

    def allowed(self, from_: str) -> set[str]:
        """Where a record in `from_` may go next (nothing, for a state not in the table)."""
        return set(self.moves.get(str(from_), ()))

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field))

    def refuse(self, obj: Any, to: str, how: str = "") -> ValidationError:
        """The machine's own refusal, as an error to raise."""
        return ValidationError(self.refusal_message(obj, str(to), how))

    def check(self, obj: Any, to: str, *, how: str = "") -> None:
        """Raise the machine's refusal unless `obj` may move to `to` now."""
        if str(to) not in self.allowed(self.state_of(obj)):
            raise self.refuse(obj, to, how)

    def move(
        self,
        obj: Any,
        to: str,
        *,
        actor: Any,
        note: str = "",
        fields: Iterable[str] = (),
        how: str = "",
        action: str = "",
    ) -> Any:
        """Check, set the state, validate, save the state and `fields`, write the event."""
        self.check(obj, to, how=how)
        before = self.state_of(obj)
        setattr(obj, self.field, to)
        obj._history_user = actor
        obj.full_clean()
        obj.save(update_fields=sorted({self.field, "updated_at", *fields}))
        self.record_event(obj, actor=actor, before=before, note=note, action=action)
        return obj

    def record_event(
        self, obj: Any, *, actor: Any, before: str = "", note: str = "", action: str = ""
    ) -> models.Model | None:
        """The event row for a move (or for a step that keeps the state, or a new record:
        `before` is then empty). `action` only for machines whose events carry one."""
        if self.event_model is None:
            return None
        extra: dict[str, Any] = {"action": action} if action else {}
        return self.event_model.objects.create(  # type: ignore[attr-defined]
            **{self.record: obj},
            actor=actor,
            from_status=before,
            to_status=self.state_of(obj),
            note=note if self.note_limit is None else note[: self.note_limit],
            **extra,
        )
