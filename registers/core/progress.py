"""A text progress bar for long management commands (demo data, benchmark data).

On a terminal the bar redraws itself in place::

    载入演示数据 [##########··········]  50%  5/10 权责清单

Written to a file or a pipe (cron, CI logs) it prints one plain line at each step instead, at
most ``max_lines`` times, so a log is not flooded by a large count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


class ProgressBar:
    """Progress of ``total`` steps written to ``stream``; call ``advance`` after each step."""

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO,
        label: str = "",
        width: int = 30,
        max_lines: int = 20,
        interactive: bool | None = None,
    ) -> None:
        self.total = max(int(total), 0)
        self.done = 0
        self.stream = stream
        self.label = label
        self.width = width
        self.max_lines = max(max_lines, 1)
        self.interactive = _is_terminal(stream) if interactive is None else interactive
        self._last_line_percent = -1
        self._finished = False

    @property
    def fraction(self) -> float:
        if self.total == 0:
            return 1.0
        return min(self.done / self.total, 1.0)

    def render(self, note: str = "") -> str:
        filled = round(self.fraction * self.width)
        bar = "#" * filled + "·" * (self.width - filled)
        text = f"{self.label} [{bar}] {self.fraction * 100:3.0f}%  {self.done}/{self.total}"
        return f"{text} {note}".rstrip()

    def advance(self, steps: int = 1, *, note: str = "") -> None:
        self.done = min(self.done + steps, self.total) if self.total else self.done + steps
        self._draw(note)

    def finish(self, note: str = "") -> None:
        """Show the bar complete and end its line (once)."""
        if self._finished:
            return
        self.done = max(self.done, self.total)
        self._draw(note, force=True)
        if self.interactive:
            self._write("\n")
        self._finished = True
        self.stream.flush()

    def _draw(self, note: str, force: bool = False) -> None:
        if self.interactive:
            # Pad so a shorter line fully covers the previous one.
            self._write("\r" + self.render(note).ljust(self.width + 40))
            self.stream.flush()
            return
        percent = int(self.fraction * 100)
        step = 100 / self.max_lines
        due = self._last_line_percent < 0 or percent >= self._last_line_percent + step
        if (force or due or percent == 100) and percent != self._last_line_percent:
            self._write(self.render(note) + "\n")
            self._last_line_percent = percent

    def _write(self, text: str) -> None:
        # Django's OutputWrapper appends a newline unless told not to.
        if hasattr(self.stream, "ending"):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.finish()
        elif self.interactive:
            self._write("\n")


class NoProgress:
    """Stands in for a ``ProgressBar`` when nobody is watching."""

    def advance(self, steps: int = 1, *, note: str = "") -> None:
        pass

    def finish(self, note: str = "") -> None:
        pass


def track(
    items: Iterable[T], *, stream: TextIO, label: str = "", total: int | None = None
) -> Iterator[T]:
    """Yield ``items``, advancing a progress bar after each one."""
    if total is None:
        items = list(items)
        total = len(items)
    bar = ProgressBar(total, stream=stream, label=label)
    for item in items:
        yield item
        bar.advance()
    bar.finish()


def _is_terminal(stream) -> bool:
    # Django's OutputWrapper hides the real stream's isatty behind ``_out``.
    target = getattr(stream, "_out", stream)
    try:
        return bool(target.isatty())
    except (AttributeError, ValueError):
        return False
