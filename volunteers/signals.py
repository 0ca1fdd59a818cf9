"""What volunteers tells the apps above it, without knowing them.

`volunteer_cut_off` is sent, inside the suspending transaction, when an IV is suspended (by
hand or on an allegation), with `volunteer` (the IV's User), `actor` and `reason`. Matches
pauses their live matches; visits stops their calendar address."""

from __future__ import annotations

from django.dispatch import Signal

volunteer_cut_off = Signal()
