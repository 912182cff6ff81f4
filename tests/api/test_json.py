"""The API's JSON writer (``api.conditional.dumps``) writes what ``json.dumps`` with
Django's encoder writes, for every kind of value an answer holds."""

import datetime
import decimal
import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from kommune360.api.conditional import dumps


def _reference(data) -> bytes:
    return json.dumps(
        data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode()


# Texts without lone surrogates (neither writer can put them into UTF-8).
texts = st.text(st.characters(exclude_categories=["Cs"]))
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | texts
    | st.dates()
    | st.datetimes(timezones=st.just(datetime.UTC))
    | st.datetimes()
    | st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-(10**9)
    )
    | st.uuids()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_the_same_bytes_as_json_dumps(data):
    assert dumps(data) == _reference(data)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back_the_same(number):
    assert json.loads(dumps({"x": number})) == json.loads(_reference({"x": number}))


def test_lazy_texts_times_and_large_integers():
    moment = datetime.datetime(2026, 3, 1, 9, 30, 5, 123456, tzinfo=datetime.UTC)
    data = {
        "titel": gettext_lazy("Angebote"),
        "zeit": moment,
        "betrag": decimal.Decimal("12.50"),
        "kennung": uuid.UUID(int=7),
        3: "Schlüssel als Zahl",
        "gross": 2**70,  # beyond orjson's 64 bits: json.dumps writes it
        "steuer": "Zeile\nund \x01 \u2028 „Zitat“ </script>",
    }
    assert dumps(data) == _reference(data)
    assert b'"zeit":"2026-03-01T09:30:05.123Z"' in dumps(data)


@given(st.datetimes(timezones=st.just(datetime.UTC)) | st.datetimes())
def test_the_offer_lists_times_are_written_as_djangos_encoder_writes_them(moment):
    from kommune360.atlas.api_resources import _moment

    assert _moment(moment) == DjangoJSONEncoder().default(moment)
