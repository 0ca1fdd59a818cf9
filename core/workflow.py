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

    `model` is the record's model and `field` its state field ("status", or "stage" for
    volunteers): the states are that field's choices. `refusal` is the machine's wording,
    either a function (record, status asked for, the caller's words) -> message, or a
    template with {status} (the record's state, lower case), {status_label} (as shown),
    {to} (the state asked for, lower case) and {how} (the caller's words for the step).
    `events` is the event model (a core.models.WorkflowEvent), or None for a machine that
    keeps no event trail; its foreign key to `model` is found by itself.
    """

    def __init__(
        self,
        model: type[models.Model],
        moves: Mapping[str, Collection[str]],
        refusal: str | Refusal,
        *,
        events: type[models.Model] | None = None,
        field: str = "status",
        note_limit: int | None = None,
    ) -> None:
        self.name = model._meta.label
        self.moves: dict[str, frozenset[str]] = {
            str(k): frozenset(str(v) for v in vs) for k, vs in moves.items()
        }
        state_field = model._meta.get_field(field)
        assert isinstance(state_field, models.Field), f"{self.name}.{field} is not a field"
        self.labels: dict[str, str] = {str(k): str(v) for k, v in state_field.flatchoices}
        self.states = list(self.labels)
        self.refusal_message = refusal
        self.event_model = events
        self.field = field
        self.note_limit = note_limit
        self.record = ""
        if events is not None:
            self.record = next(
                f.name
                for f in events._meta.get_fields()
                if f.many_to_one and f.related_model is model
            )
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
        if not isinstance(self.refusal_message, str):
            return ValidationError(self.refusal_message(obj, str(to), how))
        status_label = self.labels.get(self.state_of(obj), self.state_of(obj))
        return ValidationError(
            self.refusal_message.format(
                status=status_label.lower(),
                status_label=status_label,
                to=self.labels.get(str(to), str(to)).lower(),
                how=how,
            )
        )

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
        obj.save_by(actor, [self.field, *fields])
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
