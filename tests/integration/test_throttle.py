"""Sign-in throttling: shared by every worker without Redis, and unusable to lock other people out.

Findings of the security review: behind a proxy every user shared its address, so 20 failed
sign-ins by anyone locked everybody out; 5 wrong passwords for an account by anyone locked its
owner out; without Redis each worker counted on its own (17 wrong passwords got through).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback

from cia.extensions import db
from cia.models import AuditEvent, LoginFailure
from tests.conftest import database_url, make_app
from tests.helpers import PASSWORD

AUTHOR = "author@example.gov.uk"


def _sign_in(client, email: str, password: str, address: str | None = None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/sign-in", data={"email": email, "password": password}, headers=headers)


def test_workers_without_redis_share_the_count(app, users):
    """Two workers (two apps, one database): the sixth attempt is refused whichever worker gets it."""
    workers = [make_app().test_client(), make_app().test_client()]
    limit = app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for attempt in range(limit):
        assert _sign_in(workers[attempt % 2], AUTHOR, "wrong password here").status_code == 200
    for worker in workers:
        assert _sign_in(worker, AUTHOR, PASSWORD).status_code == 429
    with app.app_context():
        stored = db.session.query(LoginFailure).all()
        assert stored and all(AUTHOR not in row.key and "127.0.0.1" not in row.key for row in stored)


WORKERS, ATTEMPTS = 3, 6


def _guessing_worker(url: str, instance: str, start, queue) -> None:
    """One worker process of its own (its own app, throttle and connections) taking wrong passwords."""
    os.environ["CIA_INSTANCE_PATH"] = instance
    try:
        client = make_app(SQLALCHEMY_DATABASE_URI=url).test_client()
        start.wait(timeout=60)
        answers = [_sign_in(client, AUTHOR, f"wrong password {n}").status_code for n in range(ATTEMPTS)]
        queue.put(("ok", answers))
    except Exception:  # noqa: BLE001 - report anything to the parent
        queue.put(("error", traceback.format_exc()))


def test_several_worker_processes_let_through_no_more_than_the_limit(app, users):
    """Three processes guessing at once: every attempt after the fifth wrong password is refused (a worker
    counting in its own memory let each process have its own five; on PostgreSQL, transactions that each
    counted only committed failures let eight through)."""
    context = multiprocessing.get_context("spawn")
    queue, start = context.Queue(), context.Barrier(WORKERS)
    processes = [context.Process(target=_guessing_worker,
                                 args=(database_url(), os.environ["CIA_INSTANCE_PATH"], start, queue))
                 for _ in range(WORKERS)]
    for process in processes:
        process.start()
    results = [queue.get(timeout=240) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    errors = [r[1] for r in results if r[0] == "error"]
    assert not errors, errors[0]
    answers = [code for _, codes in results for code in codes]
    limit = app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    let_through = answers.count(200)
    assert let_through == limit, answers
    assert answers.count(429) == WORKERS * ATTEMPTS - limit


def test_the_count_outlives_a_restart(app, users):
    limit = app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        _sign_in(make_app().test_client(), AUTHOR, "wrong password here")
    assert _sign_in(make_app().test_client(), AUTHOR, PASSWORD).status_code == 429


def _behind_proxy():
    return make_app(CIA_TRUSTED_PROXIES=1).test_client()


def test_guessing_from_one_address_does_not_lock_the_person_out(app, users):
    client = _behind_proxy()
    assert _sign_in(client, AUTHOR, PASSWORD, "10.1.1.1").status_code == 302  # their usual address
    guesser = _behind_proxy()
    for _ in range(app.config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _sign_in(guesser, AUTHOR, "wrong password here", "10.9.9.9")
    assert _sign_in(guesser, AUTHOR, PASSWORD, "10.9.9.9").status_code == 429
    assert _sign_in(_behind_proxy(), AUTHOR, PASSWORD, "10.1.1.1").status_code == 302
    assert _sign_in(_behind_proxy(), AUTHOR, PASSWORD, "10.2.2.2").status_code == 302  # somewhere new too


def test_one_address_trying_many_accounts_is_stopped_but_others_are_not(app, users):
    guesser = _behind_proxy()
    for n in range(app.config["CIA_LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        _sign_in(guesser, f"person{n}@example.gov.uk", "wrong password here", "10.9.9.9")
    assert _sign_in(guesser, "other@example.gov.uk", PASSWORD, "10.9.9.9").status_code == 429
    assert _sign_in(_behind_proxy(), "other@example.gov.uk", PASSWORD, "10.3.3.3").status_code == 302


def test_guessing_from_many_addresses_is_stopped_while_the_person_still_signs_in(users):
    app = make_app(CIA_TRUSTED_PROXIES=1, CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES=8)
    assert _sign_in(app.test_client(), AUTHOR, PASSWORD, "10.1.1.1").status_code == 302
    for n in range(8):
        _sign_in(app.test_client(), AUTHOR, "wrong password here", f"10.8.0.{n}")
    assert _sign_in(app.test_client(), AUTHOR, PASSWORD, "10.8.1.1").status_code == 429  # a new address
    assert _sign_in(app.test_client(), AUTHOR, PASSWORD, "10.1.1.1").status_code == 302  # where they sign in


def test_the_forwarded_address_is_used_only_behind_a_trusted_proxy(app, users):
    _sign_in(app.test_client(), AUTHOR, "wrong password here", "10.7.7.7")
    _sign_in(_behind_proxy(), AUTHOR, "wrong password here", "10.7.7.7, 10.6.6.6")
    with app.app_context():
        addresses = [e.remote_addr for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert addresses == ["127.0.0.1", "10.6.6.6"]  # off by default; with one proxy, the address it saw
