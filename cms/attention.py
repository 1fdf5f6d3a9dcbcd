"""What needs an editor, as any model reports it to the dashboard ("3 new host requests").

Its own module so that models (the outbox, reviews) can report without importing the
dashboard, which reads them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attention:
    """Something waiting for editors, with how many and where to handle it."""

    text: str
    count: int
    url: str
