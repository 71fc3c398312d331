"""Issue 12 (findings 3 and 10): malformed ids and query strings on every route give a page or a 4xx, never a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consult.db import MAX_ID
from tests.factories import csrf_from
from tests.routes import build_path, endpoint_arguments, routes, seed_demo_world, world_arguments

#: A row id the database can hold but no row has.
MISSING_ID = MAX_ID
#: Ids no database integer column holds, in the ranges that broke routes before (PostgreSQL INTEGER, signed 64-bit).
OUT_OF_RANGE_IDS = (MAX_ID + 1, 2**63, 10**30)
MALFORMED_QUERIES = [
    "page=²",
    "page=-1",
    "page=99999999999999999999",
    "_anchor=x",
    "endpoint=x",
    "_method=POST",
    "_external=1",
    "_scheme=javascript",
    "from=0001-01-01&to=9999-12-31",
    "q=process&from=0001-01-01&to=9999-12-31",
    "from=²&to=9999-99-99",
    "process=²",
    "process=99999999999999999999",
    "type=%00",
    "q=%00",
    "q=%0B&type=thread&page=2",
    "next=%00",
]
URL_BUILDER_KEYWORDS = ("_anchor", "endpoint", "_method", "_external", "_scheme")
HREF = re.compile(r'href="([^"]*)"')


@pytest.fixture
def admin_client(app, db, client, login, tmp_path: Path):
    admin, password = seed_demo_world(app, db, tmp_path)
    login(admin, password)
    return client


def _request(client, route, path: str, token: str):
    if "GET" in route.methods:
        return client.get(path)
    return client.post(path, data={"csrf_token": token})


def test_every_id_route_is_not_found_for_ids_out_of_range_or_missing(app, db, admin_client):
    token = csrf_from(admin_client.get("/account/").get_data(as_text=True))
    arguments = world_arguments(db)
    overrides = endpoint_arguments(db)
    checked = []
    for route in routes(app):
        if not route.int_arguments:
            continue
        base = arguments | overrides.get(route.rule.endpoint, {})
        for name in route.int_arguments:
            for bad in OUT_OF_RANGE_IDS:
                path = build_path(route.rule, base | {name: bad})
                response = _request(admin_client, route, path, token)
                assert response.status_code in {404, 405}, (path, response.status_code)
        path = build_path(route.rule, base | dict.fromkeys(route.int_arguments, MISSING_ID))
        response = _request(admin_client, route, path, token)
        assert response.status_code == 404, (path, response.status_code)
        checked.append(route.rule.rule)
    assert len(checked) >= 50, "every <int:...> route is walked"


def _links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in HREF.findall(html)]


@pytest.mark.parametrize("query", MALFORMED_QUERIES)
def test_every_page_survives_malformed_query_strings(app, db, admin_client, query):
    arguments = world_arguments(db)
    overrides = endpoint_arguments(db)
    visited = 0
    for route in routes(app):
        if "GET" not in route.methods:
            continue
        path = build_path(route.rule, arguments | overrides.get(route.rule.endpoint, {}))
        response = admin_client.get(f"{path}?{query}")  # the client fails the test on any 5xx
        visited += 1
        if not response.mimetype.startswith("text/html"):
            continue
        for link in _links(response.get_data(as_text=True)):
            assert not link.lower().startswith(("javascript", "data:", "vbscript")), (path, query, link)
            assert not link.endswith("#x"), (path, query, link)
            assert "%00" not in link and "%0B" not in link.upper(), (path, query, link)
            for keyword in URL_BUILDER_KEYWORDS:
                assert f"{keyword}=" not in link, (path, query, link)
    assert visited >= 80, "every GET route is walked"


@pytest.mark.parametrize("target_id", ["²", "٣x", "-1", "0", str(MAX_ID + 1), str(2**63), "9" * 5000])
def test_follow_refuses_a_target_id_that_is_not_an_id(client, login, make_user, db, target_id):
    login(make_user())
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    response = client.post("/follow", data={"csrf_token": token, "target_type": "process", "target_id": target_id})
    assert response.status_code == 400


def test_attendance_with_a_malformed_person_id_is_refused_not_an_error(app, db, admin_client):
    arguments = world_arguments(db)
    token = csrf_from(admin_client.get("/account/").get_data(as_text=True))
    path = f"/meetings/{arguments['meeting_id']}/attendance"
    assert admin_client.post(path, data={"csrf_token": token, "attended": ["1", "²"]}).status_code == 400
    assert admin_client.post(path, data={"csrf_token": token, "attended": ["1"]}).status_code == 302
