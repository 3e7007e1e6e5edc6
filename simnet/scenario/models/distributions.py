"""Random-quantity descriptions that know their analytic mean and variance.

The engine samples them; tests compare samples against ``mean`` and ``variance``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from simnet.scenario.models.base import NonNegativeFloat, PositiveFloat, RuleError, SpecModel


class Constant(SpecModel):
    """Always the same value."""

    kind: Literal["constant"] = "constant"
    value: NonNegativeFloat

    @property
    def mean(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0


class Exponential(SpecModel):
    """Memoryless waiting time with the given mean."""

    kind: Literal["exponential"] = "exponential"
    mean_value: PositiveFloat = Field(alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_value

    @property
    def variance(self) -> float:
        return self.mean_value**2


class LogNormal(SpecModel):
    """Positive, right-skewed quantity given by its mean and coefficient of variation."""

    kind: Literal["lognormal"] = "lognormal"
    mean_value: PositiveFloat = Field(alias="mean")
    cv: NonNegativeFloat

    @property
    def mean(self) -> float:
        return self.mean_value

    @property
    def variance(self) -> float:
        return (self.cv * self.mean_value) ** 2


class Uniform(SpecModel):
    """Any value between ``low`` and ``high`` equally likely."""

    kind: Literal["uniform"] = "uniform"
    low: NonNegativeFloat
    high: NonNegativeFloat

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise RuleError("high must be at least low.", ("high",), "swap the two bounds")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:
        return (self.high - self.low) ** 2 / 12


Distribution = Annotated[Constant | Exponential | LogNormal | Uniform, Field(discriminator="kind")]
"""A non-negative random quantity, chosen by its ``kind``."""
