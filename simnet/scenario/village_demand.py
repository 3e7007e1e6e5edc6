"""A rule the models cannot check field by field: parcels need a village with demand to go to.

Rural parcels pick their village in proportion to its ``demand_weight``; when every listed
village weighs 0 there is nothing to be proportional to, and the run could not place a parcel
or plan a route. The rule is checked on the merged scenario, since a variant may zero the weights
its base wrote.
"""

from __future__ import annotations

from simnet.scenario.errors import Path, ScenarioError
from simnet.scenario.models import Scenario
from simnet.scenario.source_map import SourceMap


def check_village_demand(scenario: Scenario, source_map: SourceMap) -> None:
    """Raise a ``ScenarioError`` at the first village's weight when no listed village has demand."""
    counties = scenario.network.counties
    if scenario.network.generate is not None or not counties:
        return  # a generated city draws positive (lognormal) weights
    weights = [village.demand_weight for county in counties for town in county.towns for village in town.villages]
    if any(weight > 0 for weight in weights):
        return
    first: Path = ("network", "counties", 0, "towns", 0, "villages", 0, "demand_weight")
    raise ScenarioError.single(
        source_map.locate(first),
        f"every village's demand_weight is 0 ({len(weights)} villages), so no parcel has a village to go to",
        "give at least one village a positive demand_weight (the default is 1)",
        first,
    )
