from __future__ import annotations

from typing import Any

import pytest

from .factories import CallFactory, RequiredDocumentFactory


@pytest.fixture
def open_call() -> Any:
    call = CallFactory()
    RequiredDocumentFactory(call=call)
    return call
