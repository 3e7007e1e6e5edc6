"""Random-quantity descriptions that know their analytic mean and variance.

The engine samples them; tests compare samples against ``mean`` and ``variance``. ``quantile``
is the inverse distribution function, for draws from keyed uniforms (``engine/keyed_uniforms.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator
from scipy.special import ndtri

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

    def quantile(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The value at each probability ``u`` in (0, 1): always ``value``."""
        return np.full(np.shape(u), self.value)


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

    def quantile(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The value at each probability ``u`` in (0, 1): −mean · ln(1 − u)."""
        values: NDArray[np.float64] = -self.mean_value * np.log1p(-np.asarray(u, dtype=np.float64))
        return values


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

    def quantile(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The value at each probability ``u`` in (0, 1): exp(μ + σ Φ⁻¹(u)), σ² = ln(1 + cv²), μ = ln mean − σ²/2."""
        sigma = float(np.sqrt(np.log1p(self.cv**2)))
        mu = float(np.log(self.mean_value)) - sigma**2 / 2
        values: NDArray[np.float64] = np.exp(mu + sigma * ndtri(np.asarray(u, dtype=np.float64)))
        return values


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

    def quantile(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The value at each probability ``u`` in (0, 1): low + (high − low) · u."""
        values: NDArray[np.float64] = self.low + (self.high - self.low) * np.asarray(u, dtype=np.float64)
        return values


Distribution = Annotated[Constant | Exponential | LogNormal | Uniform, Field(discriminator="kind")]
"""A non-negative random quantity, chosen by its ``kind``."""
