import pytest

from hub.legal.services import legal_pages_ensure


@pytest.fixture
def legal_pages(db):
    return legal_pages_ensure()
