"""The background worker of one server: runs export jobs until the server stops.

It runs a job as soon as this server creates one, and looks for jobs other servers created
every ``poll_seconds``.
"""

from __future__ import annotations

import logging
import threading

from cardinal.services.export_jobs import ExportJobService

log = logging.getLogger(__name__)


class ExportWorker:
    def __init__(self, jobs: ExportJobService, *, poll_seconds: float = 1.0) -> None:
        self._jobs = jobs
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name="cardinal-export-worker", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Stop after the job in hand (if any) is finished."""
        self._stopping.set()
        self._jobs.job_created.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                while not self._stopping.is_set() and self._jobs.run_next() is not None:
                    pass
            except Exception:
                log.exception("the export worker could not run a job; trying again shortly")
            self._jobs.job_created.wait(self._poll_seconds)
            self._jobs.job_created.clear()
