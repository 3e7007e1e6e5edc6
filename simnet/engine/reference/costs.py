"""The reference engine's cost attribution, the plain way: each parcel and pickup keeps what it was charged.

The rules are those of ``engine/attribution.py``: a trip's cost split equally among what it
carries, handling and commission to their parcel, a fleet's or facility's fixed cost of a day
split equally among what it handled that day, the rest unattributed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

from simnet.engine.attribution import ITEM_INDEX, UNIT_KINDS, AttributedCosts
from simnet.engine.reference.items import Parcel, Pickup

Unit = Parcel | Pickup


class ReferenceShares:
    """Who was charged what, and who each fleet and facility handled on each day."""

    def __init__(self) -> None:
        self.handled: dict[tuple[Hashable, int], list[Unit]] = defaultdict(list)
        self.unattributed: dict[tuple[str, str], float] = defaultdict(float)

    def share(self, tier: str, amounts: Iterable[tuple[str, float]], units: list[Unit]) -> None:
        """Split each (kind, CNY) equally among ``units``; with none, it stays unattributed."""
        for kind, cny in amounts:
            if not units:
                self.unattributed[(tier, kind)] += cny
                continue
            for unit in units:
                unit.costs[(tier, kind)] += cny / len(units)

    def charge(self, unit: Unit, tier: str, kind: str, cny: float) -> None:
        """Charge one unit (handling, commission)."""
        unit.costs[(tier, kind)] += cny

    def handle(self, key: Hashable, time_h: float, units: list[Unit]) -> None:
        """A fleet or facility handled these units on the day of ``time_h``."""
        self.handled[(key, int(time_h // 24))].extend(units)

    def spread(self, key: Hashable, day: int, tier: str, kind: str, cny: float) -> None:
        """A fleet's or facility's fixed cost of ``day``, split among what it handled that day."""
        self.share(tier, [(kind, cny)], self.handled[(key, day)])

    def fold(
        self, parcels: list[Parcel], pickups: list[Pickup], villages: int, carriers: int, window: tuple[float, float]
    ) -> AttributedCosts:
        """Sum every unit's charges into the grouped table both engines give."""
        result = AttributedCosts(villages, carriers)
        start_h, end_h = window
        units: list[tuple[Unit, float, str]] = [(p, p.arrival_h, "parcel") for p in parcels if p.rural]
        units += [(p, p.appear_h, "pickup") for p in pickups]
        for unit, time_h, unit_kind in units:
            block = 2 * int(start_h <= time_h < end_h) + UNIT_KINDS.index(unit_kind)
            village_group = block * villages + unit.village
            carrier_group = block * carriers + unit.carrier
            result.arrived_by_village[village_group] += 1
            result.arrived_by_carrier[carrier_group] += 1
            for item, cny in unit.costs.items():
                result.by_village[ITEM_INDEX[item], village_group] += cny
                result.by_carrier[ITEM_INDEX[item], carrier_group] += cny
        for item, cny in self.unattributed.items():
            result.unattributed[ITEM_INDEX[item]] += cny
        return result
