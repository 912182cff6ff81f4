"""The API against its own OpenAPI description (schemathesis, in the test suite).

Every operation of ``/api/v1/openapi.json`` is called with values the description
allows and with values it forbids (negative mode): no answer is a 5xx, every status,
content type, header and body is the one the description names, and forbidden values
are refused with a 4xx. Not checked: that every allowed value finds something –
whether a facet value, a cursor or an id exists depends on the data, and the API says
400 or 404 for those (the reference page documents both).
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kommune360.api import v1
from tests.factories.events import EventFactory
from tests.factories.learning import CohortFactory

schema = schemathesis.openapi.from_dict(v1.build().get_openapi_schema(path_prefix="/api/v1/"))
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], deterministic=True
)
APP = WSGIHandler()


@pytest.fixture
def data(offers):
    EventFactory()
    CohortFactory()


@pytest.fixture
def connection_kept():
    """The test's transaction survives each request, as with Django's test client.

    Django's handler closes a connection whose autocommit is off when a request starts
    and ends; inside the test's transaction it always is. SQLite's in-memory database
    ignores the close, PostgreSQL's connection would be gone (every later query fails).
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, data, connection_kept):
    case.call_and_validate(
        app=APP,
        additional_checks=[not_a_server_error],
        excluded_checks=[positive_data_acceptance],
    )
