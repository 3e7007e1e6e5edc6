"""Handling costs per tier, the village point commission, energy prices and CO₂ factors."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from simnet.scenario.models.base import NonNegativeFloat, SpecModel


class HandlingCosts(SpecModel):
    """Cost of handling one parcel at each tier, in yuan."""

    # Reference §1.3 "Hub unit costs (ZTO, Q3 2024)": sorting 0.25 yuan/parcel (S).
    hub: NonNegativeFloat = 0.25
    # Estimates (E): a smaller automated line, a manual carrier depot, a town station.
    park: NonNegativeFloat = 0.15
    depot: NonNegativeFloat = 0.30
    town: NonNegativeFloat = 0.10


class FacilityCosts(SpecModel):
    """Fixed cost of running each facility for one day (rent, depreciation, staff on shift), in yuan.

    No published daily figure was found for any of them (docs/sources.md#facility-costs lists the
    investment figures from which a user may derive one), so each defaults to 0.
    """

    # Per parcel/day of the hub's daily capacity (Hub.daily_capacity), so halving the lines halves it.
    # Reference §1.10 gives capex only (250–400 yuan per parcel/day of capacity, E); no daily figure: 0.
    hub_per_daily_capacity: NonNegativeFloat = 0.0
    # Per county park and day. Reference §1.10: a county centre costs 10–30 M yuan (E); no daily figure: 0.
    park: NonNegativeFloat = 0.0
    # Per carrier depot and day. No source found: 0.
    depot: NonNegativeFloat = 0.0
    # Per town station in use and day. Reference §1.10: 0.1–0.6 M yuan to build (E); no daily figure: 0.
    town: NonNegativeFloat = 0.0
    # Per village point in use and day. Reference §1.10: 5,000–30,000 yuan in a shop (E); no daily figure: 0.
    village: NonNegativeFloat = 0.0


class Costs(SpecModel):
    """Money: handling per tier, the village point's commission, facilities' daily costs and energy prices."""

    handling_cny_per_parcel: HandlingCosts = HandlingCosts()
    facility_cny_per_day: FacilityCosts = FacilityCosts()
    # Reference §1.4 "Village point commission (default)": 0.3–0.8 yuan/parcel (E).
    village_commission_cny_per_parcel: Annotated[float, Field(ge=0, le=20)] = 0.5
    # Reference §1.5 "Fuel and electricity prices (default)": diesel 7.3–8.0, charging 0.8–1.5 (E).
    diesel_cny_per_l: Annotated[float, Field(ge=0, le=50)] = 7.6
    electricity_cny_per_kwh: Annotated[float, Field(ge=0, le=20)] = 1.0


class Emissions(SpecModel):
    """CO₂ factors: tank-to-wheel for diesel, the grid's for electricity."""

    # Reference §1.6 "Recommended defaults": diesel 2.68 kg/L; grid 0.54 kg/kWh (range 0.11–0.75).
    diesel_co2_kg_per_l: NonNegativeFloat = 2.68
    grid_co2_kg_per_kwh: Annotated[float, Field(ge=0, le=2)] = 0.54
