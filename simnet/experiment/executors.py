"""Where replications run: local worker processes (default) or a Dask cluster; results are the same.

A task is one replication of one scenario point, given as plain data (the scenario as a dict),
so any process can run it; its numbers depend only on the scenario and the replication index
(DESIGN.md §4), never on the worker, the number of workers or the order of completion.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from simnet.engine.metrics import replication_metrics
from simnet.engine.model import run_replication
from simnet.forking import cores, ignore_interrupts
from simnet.planning import default_planner, plan_for
from simnet.scenario.models import Scenario


@dataclass(frozen=True)
class Task:
    """One replication of one scenario point."""

    point: int
    replication: int
    scenario: dict[str, Any]


@dataclass(frozen=True)
class TaskResult:
    """A finished task: its metrics, or the error that stopped it."""

    point: int
    replication: int
    metrics: dict[str, float] | None
    error: str | None


def run_task(task: Task) -> TaskResult:
    """Run a task in this process; a failure is returned as the task's error, not raised."""
    try:
        plan = plan_for(Scenario.model_validate(task.scenario), default_planner())
        metrics = replication_metrics(run_replication(plan, task.replication).outcome())
        return TaskResult(task.point, task.replication, metrics, None)
    except Exception as error:  # a point's failure is recorded; the sweep goes on
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return TaskResult(task.point, task.replication, None, detail)


class Executor(Protocol):
    """Runs tasks and yields their results as they finish."""

    def run(self, tasks: Sequence[Task]) -> Iterator[TaskResult]:
        """Yield one result per task, in completion order."""
        ...

    def close(self) -> None:
        """Let go of workers or connections."""
        ...


TaskFunction = Callable[[Task], TaskResult]


def _child(function: TaskFunction, task: Task, pipe: Connection) -> None:
    ignore_interrupts()
    pipe.send(function(task))
    pipe.close()


class ProcessExecutor:
    """Runs each task in its own worker process, ``workers`` at a time.

    Where processes fork, workers inherit the plans this process made (``plan_for``). A worker
    that dies (killed, out of memory, a crash in native code) fails only its task, with
    its exit code as the error; the other tasks go on.
    """

    def __init__(self, workers: int, function: TaskFunction = run_task) -> None:
        self.workers = max(1, workers)
        self.function = function
        forking = "fork" in multiprocessing.get_all_start_methods()
        self.context: Any = multiprocessing.get_context("fork" if forking else "spawn")

    def run(self, tasks: Sequence[Task]) -> Iterator[TaskResult]:
        pending = list(reversed(tasks))
        running: dict[Connection, tuple[Task, Any]] = {}
        while pending or running:
            while pending and len(running) < self.workers:
                task = pending.pop()
                receiver, sender = self.context.Pipe(duplex=False)
                process = self.context.Process(target=_child, args=(self.function, task, sender), daemon=True)
                process.start()
                sender.close()
                running[receiver] = (task, process)
            for ready in wait(list(running)):
                assert isinstance(ready, Connection)
                task, process = running.pop(ready)
                yield self._collect(task, process, ready)

    def close(self) -> None:
        """Nothing to let go of: each task's process has ended with it."""

    @staticmethod
    def _collect(task: Task, process: Any, receiver: Connection) -> TaskResult:
        try:
            result: TaskResult = receiver.recv()
        except EOFError:
            process.join()
            return TaskResult(task.point, task.replication, None, f"worker process died (exit code {process.exitcode})")
        finally:
            receiver.close()
        process.join()
        return result


class SchedulerUnreachableError(Exception):
    """No Dask scheduler answered at the given address (or Dask is not installed)."""


class DaskExecutor:
    """Runs tasks on a Dask distributed cluster (``--scheduler ADDRESS``)."""

    def __init__(self, address: str, timeout_s: float = 10.0) -> None:
        try:
            from distributed import Client  # noqa: PLC0415 - Dask is an optional extra
        except ImportError:
            raise SchedulerUnreachableError("Dask is not installed: pip install 'simnet[dask]'") from None
        try:
            self.client = Client(address, timeout=f"{timeout_s}s")
        except (OSError, TimeoutError) as error:
            raise SchedulerUnreachableError(f"no Dask scheduler answered at {address}: {error}") from None

    def run(self, tasks: Sequence[Task]) -> Iterator[TaskResult]:
        from distributed import as_completed  # noqa: PLC0415 - Dask is an optional extra

        futures = {self.client.submit(run_task, task, pure=False): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as error:  # a lost worker fails its task only
                yield TaskResult(task.point, task.replication, None, f"{type(error).__name__}: {error}")

    def close(self) -> None:
        """Disconnect from the scheduler."""
        self.client.close()


def make_executor(workers: int | None, scheduler: str | None) -> Executor:
    """Dask when a scheduler address is given; otherwise local processes (default: one per core)."""
    if scheduler:
        return DaskExecutor(scheduler)
    return ProcessExecutor(workers if workers is not None else cores())
