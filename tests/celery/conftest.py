from __future__ import annotations

from collections.abc import Iterator

import pytest

from notifications import services


@pytest.fixture(autouse=True)
def _broker_not_backed_off() -> Iterator[None]:
    """A test that simulates a broker outage must not leave the prompt back-off on for the next."""
    services._broker_down_until = 0.0
    yield
    services._broker_down_until = 0.0
