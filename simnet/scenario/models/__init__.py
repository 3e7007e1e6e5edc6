"""Pydantic models of a scenario, one module per section."""

from simnet.scenario.models.scenario import Scenario

__all__ = ["Scenario"]
