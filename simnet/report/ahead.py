"""A run's report drawn by a process forked before the run simulates, so that ``report.html`` is ready sooner.

While the run plans and simulates on one core, the forked process loads matplotlib and the report's code
and draws one throwaway figure (reading the fonts); once the run's tables are written it writes the report
from them, as the run's own process would. Where no process can be forked, or if the worker fails or dies,
the run's process writes the report itself: the report is the same either way (the same code draws it
from the same files).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from multiprocessing.connection import Connection
from pathlib import Path

from simnet.forking import fork_workers, ignore_interrupts
from simnet.labels import Lang

WARM_UP_TEXT = "Warm up 0123456789 中通圆通韵达县乡镇村"
"""Drawn once by the worker before the run ends, so the Latin and CJK fonts are read and laid out already."""


class ReportAhead:
    """The forked report worker of one run: ``write`` hands it the run's folder, ``close`` ends it."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        context = multiprocessing.get_context("fork")
        self.connection, worker_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(worker_end, self.connection, lang), name="simnet-report")
        self.process.start()
        worker_end.close()

    def write(self, staging: Path, target: Path) -> bool:
        """Have the worker write ``report.html`` of the run in ``staging`` (to live at ``target``); whether it did."""
        try:
            self.connection.send((str(staging), str(target)))
            return bool(self.connection.recv())
        except (EOFError, OSError):  # the worker died: the caller writes the report
            return False

    def close(self) -> None:
        """End the worker: at once when it was not given the run (the run failed or was interrupted)."""
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


@contextmanager
def report_ahead(lang: Lang | None) -> Iterator[ReportAhead | None]:
    """A report worker for a run reporting in ``lang``; None without a report or where no process can be forked."""
    if lang is None or fork_workers() == 0:
        yield None
        return
    worker = ReportAhead(lang)
    try:
        yield worker
    finally:
        worker.close()


def _serve(connection: Connection, parent_end: Connection, lang: Lang) -> None:
    """In the worker: load and warm up the report's code, then write the report of the run it is sent."""
    ignore_interrupts()
    parent_end.close()  # so that the parent's death ends the wait below
    try:
        _warm_up()
        job = connection.recv()
    except Exception:  # the run's process writes the report when the worker cannot
        return
    if job is None:
        return
    from simnet.results.folder import write_report_file  # noqa: PLC0415 - imported with the rest of the run's code

    staging, target = job
    try:
        write_report_file(Path(staging), Path(target), lang)
        written = True
    except Exception:  # the run's process writes it again, and reports what went wrong
        written = False
    connection.send(written)


def _warm_up() -> None:
    """Import the report's code and draw one small figure with Latin and CJK text, reading and caching the fonts."""
    from simnet.plots._common import new_figure  # noqa: PLC0415 - only in the worker
    from simnet.report.document import png_bytes  # noqa: PLC0415

    import_module("simnet.report.html")

    figure = new_figure(3.0, 1.0)
    figure.add_subplot().set_title(WARM_UP_TEXT)
    png_bytes(figure)
