"""Property-based API testing with schemathesis, in process (WSGI), against the schema.

Every operation in /api/schema/ gets generated requests, valid and invalid,
sent with a demo owner's token. No request may produce a server error, and
every status code must be one the schema documents. A generated `{id}` is
almost never an existing object, so every other case gets the id of a real
demo object instead, to reach past the 404.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from hanout.accounts.models import Membership
from hanout.accounts.services import api_token_create
from hanout.core.permissions import Role
from hanout.demo import load_demo

app = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)


@contextmanager
def keep_test_connection():
    """The raw WSGI app closes the database connection around each request (as it
    should in production); inside a test transaction that would end the test's
    transaction on PostgreSQL. Django's own test client does the same as this,
    and reconnects the handlers after each of its requests, so this wraps the
    call itself."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """The demo loaded once for the whole module, inside a transaction rolled back at its end.

    Loading the demo takes seconds and this module has one test per operation (hundreds):
    each test's own transaction (the `db` fixture) is a savepoint inside this one, so it
    sees the demo, and nothing of it outlives the module.
    """
    from django.db import transaction
    from django.test import Client

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_demo()
            owner = Membership.objects.get(user__email="admin@kaching.example", role=Role.OWNER)
            token, raw = api_token_create(membership=owner, name="schemathesis")
            headers = {"Authorization": f"Token {raw}"}
            client = Client()
            ids = {}
            for path in schema.raw_schema["paths"]:
                if "/{id}/" in path:
                    parent = path[: path.index("{id}/")]
                    with keep_test_connection():
                        body = client.get(parent, headers=headers, data={"page_size": 200}).json()
                    # A route the owner may not read (the platform administrators' queues) has no ids.
                    items = body.get("results", [])
                    ids[path] = [item["id"] for item in items if item["id"] != str(token.pk)]
            yield headers, ids
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_once, db):
    """A token of the owner of demo business A, and A's object ids by list path."""
    return demo_once


_turn = itertools.count()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_never_answers_5xx(case, demo):
    headers, ids = demo
    real = ids.get(case.path, [])
    turn = next(_turn)
    if real and "id" in (case.path_parameters or {}) and turn % 2:
        case.path_parameters = {**case.path_parameters, "id": real[turn // 2 % len(real)]}
    with keep_test_connection():
        response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
