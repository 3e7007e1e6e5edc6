"""A run's report drawn by a process forked before the run simulates, so that ``report.html`` is ready sooner.

Forked once the run's plan is made, the worker loads matplotlib and the report's code and draws the maps
(``PLAN_FIGURES``: they show the plan's sites and routes only) while the run simulates on the other core;
once the run's tables are written it writes the report from them, as the run's own process would. A map
drawn ahead is used only if the written results hold exactly the inputs it was drawn from, so the report
is the same byte for byte. Where no process can be forked, or if the worker fails or dies, the run's
process writes the report itself.
"""

from __future__ import annotations

import io
import multiprocessing
from dataclasses import dataclass
from importlib import import_module
from multiprocessing.connection import Connection
from pathlib import Path

import pandas as pd

from simnet.forking import fork_workers, ignore_interrupts
from simnet.labels import Lang
from simnet.planning import StaticPlan
from simnet.results.load import Results

PLAN_FIGURES = ("map", "county-maps")
"""Figures drawn from the plan's tables alone: sites, routes, county names and the scenario's carriers."""

PLAN_TABLES = ("sites", "routes")
"""Tables of a results folder that come whole from the plan (``experiment.replications.plan_tables``)."""

WARM_UP_TEXT = "Warm up 0123456789 中通圆通韵达县乡镇村"
"""Drawn once by the worker before the run ends, so the Latin and CJK fonts are read and laid out already."""


@dataclass(frozen=True)
class DrawnAhead:
    """Figures drawn before the run ended, with the inputs they were drawn from."""

    inputs: Results
    pngs: dict[str, bytes]

    def fitting(self, results: Results) -> dict[str, bytes]:
        """The PNGs, if ``results`` holds exactly the inputs they were drawn from; else none (draw them again)."""
        from simnet.plots._common import county_names  # noqa: PLC0415 - matplotlib loads with the report

        same = (
            results.scenario_yaml == self.inputs.scenario_yaml
            and all(self.inputs.tables[name].equals(results.tables.get(name)) for name in PLAN_TABLES)
            and county_names(results) == county_names(self.inputs)
        )
        return self.pngs if same else {}


class ReportAhead:
    """The forked report worker of one run: ``write`` hands it the run's folder, ``close`` ends it."""

    def __init__(self, lang: Lang, plan: StaticPlan) -> None:
        self.lang = lang
        context = multiprocessing.get_context("fork")
        self.connection, worker_end = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(worker_end, self.connection, lang, plan), name="simnet-report"
        )
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


class ReportWhenPlanned:
    """The report worker of a run reporting in ``lang`` (None: no report), started once the run's plan is made.

    ``start`` is the run's ``on_plan``; ``worker`` is None until then, without a report, or where no
    process can be forked. Leaving the block ends the worker.
    """

    def __init__(self, lang: Lang | None) -> None:
        self.lang = lang
        self.worker: ReportAhead | None = None

    def start(self, plan: StaticPlan) -> None:
        """Fork the worker for the run of ``plan`` (once)."""
        if self.lang is not None and self.worker is None and fork_workers() > 0:
            self.worker = ReportAhead(self.lang, plan)

    def __enter__(self) -> ReportWhenPlanned:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.worker is not None:
            self.worker.close()


def _serve(connection: Connection, parent_end: Connection, lang: Lang, plan: StaticPlan) -> None:
    """In the worker: load the report's code and draw the maps, then write the report of the run it is sent."""
    ignore_interrupts()
    parent_end.close()  # so that the parent's death ends the wait below
    try:
        _warm_up()
        drawn = _drawn_from_plan(plan, lang)
    except Exception:  # the maps are drawn again with the rest of the report
        drawn = None
    try:
        job = connection.recv()
    except (EOFError, OSError):
        return
    if job is None:
        return
    from simnet.results.folder import write_report_file  # noqa: PLC0415 - imported with the rest of the run's code

    staging, target = job
    try:
        write_report_file(Path(staging), Path(target), lang, drawn)
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


def _drawn_from_plan(plan: StaticPlan, lang: Lang) -> DrawnAhead:
    """The maps of ``plan``'s run, drawn from its tables as the results folder will hold them."""
    from simnet.experiment.replications import plan_tables  # noqa: PLC0415 - loaded already by the run
    from simnet.report.document import png_bytes  # noqa: PLC0415
    from simnet.report.sections import run_figure_builders  # noqa: PLC0415
    from simnet.scenario import resolved_yaml  # noqa: PLC0415

    network = plan.network
    tables = {name: _as_read(frame) for name, frame in plan_tables(plan).items()}
    tables["counties"] = pd.DataFrame({"county": list(network.county_ids), "name": list(network.county_names)})
    inputs = Results(
        path=Path(plan.scenario.name),
        summary=pd.DataFrame(),
        replications=pd.DataFrame(),
        tables=tables,
        manifest={},
        scenario_yaml=resolved_yaml(plan.scenario),
    )
    builders = run_figure_builders(inputs, lang)
    return DrawnAhead(inputs, {key: png_bytes(builders[key]()) for key in PLAN_FIGURES})


def _as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a results folder gives it back: written to Parquet (as ``write_results`` does) and read."""
    return pd.read_parquet(io.BytesIO(frame.to_parquet(index=False)))
