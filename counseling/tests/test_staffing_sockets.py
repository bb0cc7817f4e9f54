"""Deactivation through the staff administration (counseling/staffing.py) closes every socket of the
person at once, over the real ASGI application and channel layer."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from counseling import staffing
from counseling.tests.factories import counselor_with_profile, make_case
from counseling.tests.test_socket_access import case_socket, closed_with, open_socket
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def _world():
    coordinator = staff_with_totp(username="coordinator_bea", roles=[Role.COORDINATOR])
    counselor = counselor_with_profile("counselor_leaving", ["de"])
    youth = UserFactory(username="amira", roles=[Role.YOUTH])
    case = make_case(youth=youth)
    assert case.counselor == counselor
    return coordinator, counselor, case


async def test_deactivating_a_counselor_closes_their_sockets_and_the_case_room_rechecks():
    coordinator, counselor, case = await sync_to_async(_world)()
    notices = await open_socket("/ws/notifications/", counselor)
    room = await case_socket(counselor, case)

    released = await sync_to_async(staffing.staff_deactivate)(actor=coordinator, account=counselor)

    assert released == 1
    assert await closed_with(notices) == (4401, "revoked")
    code, _reason = await closed_with(room)
    assert code == 4401
