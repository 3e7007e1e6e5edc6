"""The garage hands out vehicles by type, first come first served, the first free type of a request's choices."""

import simpy

from simnet.engine.garage import Garage


def test_first_free_choice_and_order():
    """Two vans, one tricycle: requests get their first free choice; a request no free vehicle fits waits,
    and the requests behind it wait too, until a release frees one it fits."""
    env = simpy.Environment()
    garage = Garage(env, [1, 1])  # type 0: van, type 1: tricycle
    first = garage.request((1, 0))
    second = garage.request((1, 0))
    third = garage.request((1,))
    fourth = garage.request((0,))
    env.run()
    assert (first.value, second.value) == (1, 0)
    assert not third.triggered
    assert not fourth.triggered  # held up behind the third, although no van is free anyway
    garage.release(0)
    env.run()
    assert not third.triggered
    assert not fourth.triggered  # the van is free but the third (tricycle only) is first in line
    garage.release(1)
    env.run()
    assert third.value == 1
    assert fourth.value == 0
    assert garage.out == [1, 1]
