"""Sign-in throttling shared through Redis (CIA_REDIS_URL), as several gunicorn workers need."""

from __future__ import annotations

import os
import uuid

import pytest

from cia.throttle import Limits, LoginThrottle, RedisStore
from tests.conftest import make_app
from tests.helpers import PASSWORD, sign_in

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_store():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis must be reachable in CI")
        pytest.skip("Redis is not reachable")
    return RedisStore(REDIS_URL)


def test_two_processes_share_the_lock_out(redis_store):
    limits = Limits(max_per_account=3, max_per_address=100, window=60, lockout=60,
                    max_per_account_all_addresses=100)
    email = f"{uuid.uuid4().hex}@example.gov.uk"
    worker_one, worker_two = LoginThrottle(redis_store, limits), LoginThrottle(RedisStore(REDIS_URL), limits)
    worker_one.failure(email, "10.0.0.1")
    worker_two.failure(email, "10.0.0.1")
    assert worker_one.locked_for(email, "10.0.0.1") == 0
    worker_one.failure(email, "10.0.0.1")
    assert 0 < worker_two.locked_for(email, "10.0.0.1") <= 60
    assert worker_two.locked_for(email, "10.0.0.9") == 0, "the person, elsewhere, is not locked out"
    worker_two.success(email, "10.0.0.1")
    assert worker_one.locked_for(email, "10.0.0.1") == 0


def test_the_app_uses_redis_when_configured(app, redis_store, users):
    redis_app = make_app(CIA_REDIS_URL=REDIS_URL)
    assert isinstance(redis_app.extensions["cia_throttle"].store, RedisStore)
    for key in ("pair:author@example.gov.uk|127.0.0.1", "addr:127.0.0.1", "acct:author@example.gov.uk"):
        redis_store.clear(key)
    client = redis_app.test_client()
    for _ in range(redis_app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        sign_in(client, "author@example.gov.uk", "wrong password here")
    locked = sign_in(client, "author@example.gov.uk", PASSWORD)
    assert locked.status_code == 429
    # Another process with the same Redis sees the lock-out too.
    other = make_app(CIA_REDIS_URL=REDIS_URL).test_client()
    assert sign_in(other, "author@example.gov.uk", PASSWORD).status_code == 429
    for key in ("pair:author@example.gov.uk|127.0.0.1", "addr:127.0.0.1", "acct:author@example.gov.uk"):
        redis_store.clear(key)
