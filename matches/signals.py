"""What matches tells the apps above it, without knowing them.

`match_closed` is sent, inside the closing transaction, with `match` and `actor`: visits
stops the IV's calendar address."""

from __future__ import annotations

from django.dispatch import Signal

match_closed = Signal()
