"""What both engines set up alike for a replication: its days, window, statistics, ledger, attribution and demand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import simpy
from numpy.typing import NDArray

from simnet.engine.attribution import Attribution
from simnet.engine.demand import DemandModel
from simnet.engine.facilities import Facility
from simnet.engine.ledger import Ledger
from simnet.engine.stats import ParcelStats
from simnet.planning.hubs import HubPlan
from simnet.planning.plan import StaticPlan
from simnet.scenario.models import Scenario
from simnet.scenario.models.facilities import WEEKDAYS


@dataclass(frozen=True)
class RunDays:
    """The days a replication simulates and the window (in hours) it measures."""

    total_days: int
    window_start_h: float
    window_end_h: float

    @classmethod
    def of(cls, scenario: Scenario) -> RunDays:
        """Warm-up, measured horizon and drain days of a scenario."""
        total = scenario.warmup_days + scenario.horizon_days + scenario.drain_days
        start_h = 24.0 * scenario.warmup_days
        return cls(total, start_h, start_h + 24.0 * scenario.horizon_days)

    @property
    def end_h(self) -> float:
        """When the replication stops at the latest (the end of the drain days)."""
        return 24.0 * self.total_days

    @property
    def window_end_day(self) -> int:
        """The first day after the measured window (the first drain day)."""
        return round(self.window_end_h / 24.0)


def delivery_days(scenario: Scenario, total_days: int) -> NDArray[np.bool_]:
    """Per simulated day, whether villages are served (from the first day's weekday)."""
    first = WEEKDAYS.index(scenario.service.start_weekday)
    return np.array([WEEKDAYS[(first + day) % 7] in scenario.service.weekdays for day in range(total_days)])


def new_stats(plan: StaticPlan, days: RunDays) -> ParcelStats:
    """Empty parcel statistics for one replication."""
    return ParcelStats(
        window_start_h=days.window_start_h,
        window_end_h=days.window_end_h,
        end_h=days.end_h,
        counties=len(plan.network.parks),
        carriers=len(plan.scenario.carriers),
        villages=len(plan.network.villages),
        horizon_days=plan.scenario.horizon_days,
        county_of_village=plan.county_of_village,
        fresh_max_h=plan.scenario.demand.fresh_max_h,
    )


def new_ledger(scenario: Scenario, days: RunDays) -> Ledger:
    """An empty ledger counting inside the measured window."""
    return Ledger(scenario.costs, scenario.emissions, days.window_start_h, days.window_end_h)


def new_attribution(plan: StaticPlan, days: RunDays, facilities: Sequence[Facility]) -> Attribution:
    """An empty attribution of costs to the plan's villages and carriers, with the facilities that cost something."""
    attribution = Attribution(
        len(plan.network.villages), len(plan.scenario.carriers), days.window_start_h, days.window_end_h
    )
    for facility in facilities:
        attribution.place(facility.key, facility.account.tier, "facility_fixed", charged=facility.cost_per_day_cny > 0)
    return attribution


def demand_model(plan: StaticPlan, hub: HubPlan) -> DemandModel:
    """The random demand at ``hub``: its share of the parcels, its villages' weights, the parcel sample sized."""
    scenario = plan.scenario
    expected = scenario.demand.parcels_per_day * scenario.demand.rural_share * scenario.horizon_days
    return DemandModel(
        demand=scenario.demand,
        parcels_per_day=scenario.demand.parcels_per_day * hub.parcel_share,
        rural_share=hub.rural_share,
        carrier_shares=_normalised([carrier.share for carrier in scenario.carriers]),
        villages=hub.villages,
        village_weights=_normalised(plan.network.village_weight[hub.villages]),
        warmup_days=scenario.warmup_days,
        sample_fraction=min(1.0, scenario.output.parcel_sample_size / max(expected, 1.0)),
    )


def _normalised(weights: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
    """Weights scaled to sum to exactly 1 (numpy's sampler allows less rounding than the scenario check)."""
    values = np.asarray(weights, dtype=np.float64)
    normalised: NDArray[np.float64] = values / values.sum()
    return normalised


def run_days(env: simpy.Environment, days: RunDays, finished_by: Callable[[float], bool]) -> int:
    """Run a replication day by day past the horizon; return the number of days simulated.

    The run stops at the first midnight after the horizon by which every parcel and pickup that
    arrived in the window has finished, or at the end of the drain days: later days would change
    nothing measured, so they are not simulated.
    """
    end_day = days.window_end_day
    env.run(until=24.0 * end_day)
    while end_day < days.total_days and not finished_by(24.0 * end_day):
        end_day += 1
        env.run(until=24.0 * end_day)
    return end_day
