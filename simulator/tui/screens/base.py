"""What every mockcall screen shares: access to the app's collaborators and job-failure notices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from simulator.tui.problems import problem_text

if TYPE_CHECKING:
    from simulator.tui.app import MockcallApp

ResultT = TypeVar("ResultT")


class MockcallScreen(Screen[ResultT]):
    """A screen of the mockcall app; a job that fails becomes a notice and a call to job_failed."""

    @property
    def mockcall(self) -> MockcallApp:
        """The app, typed, for its settings, profile, store, voice and recorder."""
        return cast("MockcallApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Turn a failed job into a notice; the screen decides what state to return to."""
        if event.state is WorkerState.ERROR:
            self.notify(problem_text(event.worker), severity="error", timeout=12, markup=False)
            self.job_failed(event.worker)
        elif event.state is WorkerState.SUCCESS:
            self.job_done(event.worker)

    def job_failed(self, worker: Worker[Any]) -> None:
        """Called after a worker of this screen raised; override to recover."""

    def job_done(self, worker: Worker[Any]) -> None:
        """Called after a worker of this screen returned; override when the state depends on it."""
