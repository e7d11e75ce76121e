"""Elapsed recording time against the step's limit, turning amber, then red."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

AMBER_FRACTION = 0.75
"""Past this share of the limit the timer turns amber: time to wrap up."""
RED_FRACTION = 0.9
"""Past this share of the limit the timer turns red: recording will stop soon."""


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = max(int(seconds), 0)
    return f"{whole // 60}:{whole % 60:02d}"


LABEL = "time "
"""What the bar is, so it is not taken for the microphone level beside it."""


class ElapsedTime(Widget):
    """Shows `time 0:12 / 0:45` and a thin bar; the classes -amber / -red drive the colours."""

    DEFAULT_CSS = """
    ElapsedTime {
        height: 1;
        width: 1fr;
        color: $success;
    }
    ElapsedTime.-amber {
        color: $warning;
    }
    ElapsedTime.-red {
        color: $error;
        text-style: bold;
    }
    """

    elapsed: reactive[float] = reactive(0.0)
    """Seconds recorded so far."""
    limit: reactive[float] = reactive(60.0)
    """The step's time limit in seconds."""
    aim: reactive[float] = reactive(0.0)
    """The answer's aim in seconds (the time check's bound); past it the timer is amber. 0: none."""

    def watch_elapsed(self) -> None:
        """Recolour as the aim and then the limit approach."""
        share = self.elapsed / self.limit if self.limit else 0.0
        past_aim = bool(self.aim) and self.elapsed >= self.aim
        self.set_class((past_aim or AMBER_FRACTION <= share) and share < RED_FRACTION, "-amber")
        self.set_class(share >= RED_FRACTION, "-red")

    def render(self) -> Text:
        """Draw `time m:ss / m:ss` followed by a bar of the share used."""
        label = f"{LABEL}{clock(self.elapsed)} / {clock(self.limit)} "
        width = max(self.size.width - len(label), 1)
        share = min(self.elapsed / self.limit, 1.0) if self.limit else 0.0
        filled = round(share * width)
        return Text(label + "━" * filled + " " * (width - filled))
