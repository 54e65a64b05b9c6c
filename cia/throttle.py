"""Sign-in throttling that slows guessing without letting anyone lock a person out of their account.

Three counts of failed sign-ins within the window (CIA_LOGIN_WINDOW_SECONDS), each with its own
temporary lock-out (CIA_LOGIN_LOCKOUT_SECONDS):

- one account from one address (CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT, 5): someone guessing one
  person's password from their machine is stopped; the person themself, elsewhere, is not;
- one address (CIA_LOGIN_MAX_FAILURES_PER_ADDRESS, 20): one machine trying many accounts;
- one account from every address (CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES, 50): guessing
  spread over many machines. This lock refuses only addresses the account has never signed in
  from ("known" addresses, recent sessions of that account), and so does the per-address lock:
  the real person keeps signing in from where they always do while the guessing is refused.

What is left: someone on the same network address as a person (the same office behind one
gateway, when CIA_TRUSTED_PROXIES is not set) can still make 5 wrong guesses at that person's
account from there and hold that one pair locked. docs/threat-model.md discusses it.

The counts live where every worker sees them: Redis when CIA_REDIS_URL is set, otherwise the
database (tables login_failure and login_lock). Keys are hashed, so neither store holds an e-mail
address or a network address.

Concurrent guesses at one account from one address are taken one at a time on PostgreSQL (a
transaction-scoped advisory lock on the pair, held from the lock check to the commit): without it,
each transaction counted only the failures already committed, so three workers guessing at once
let eight wrong passwords through against a limit of five. SQLite writes one transaction at a
time already. With Redis every count is visible at once, so at most one attempt per other worker
already checking can pass the limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from cia.extensions import db
from cia.models import LoginFailure, LoginLock, utcnow


@dataclass
class Limits:
    max_per_account: int
    max_per_address: int
    window: int
    lockout: int
    max_per_account_all_addresses: int = 50


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class DatabaseStore:
    """Counts in the application's database: shared by every worker and process, in the request's
    transaction (the sign-in view commits once)."""

    def hold(self, key: str) -> None:
        """Take this key's attempts one at a time until the transaction ends (PostgreSQL only)."""
        if db.session.get_bind().dialect.name == "postgresql":
            number = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)
            db.session.execute(select(func.pg_advisory_xact_lock(number)))

    def add_failure(self, key: str, window: int) -> int:
        hashed, now = _hashed(key), utcnow()
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(seconds=window)))
        db.session.add(LoginFailure(key=hashed, at=now))
        db.session.flush()
        return db.session.execute(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.key == hashed)
        ).scalar_one()

    def lock(self, key: str, seconds: int) -> None:
        hashed, now = _hashed(key), utcnow()
        db.session.execute(delete(LoginLock).where((LoginLock.key == hashed) | (LoginLock.until < now)))
        db.session.add(LoginLock(key=hashed, until=now + timedelta(seconds=seconds)))
        db.session.flush()

    def locked_for(self, key: str) -> int:
        until = db.session.execute(select(LoginLock.until).where(LoginLock.key == _hashed(key))).scalar()
        if until is None:
            return 0
        return max(0, int((until - utcnow()).total_seconds() + 0.999))

    def clear(self, key: str) -> None:
        hashed = _hashed(key)
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == hashed))
        db.session.execute(delete(LoginLock).where(LoginLock.key == hashed))


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def hold(self, key: str) -> None:
        """Redis counts are seen by every worker at once (see the module's docstring)."""

    def add_failure(self, key: str, window: int) -> int:
        name = f"cia:fail:{_hashed(key)}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, window, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def lock(self, key: str, seconds: int) -> None:
        self._redis.set(f"cia:lock:{_hashed(key)}", 1, ex=seconds)

    def locked_for(self, key: str) -> int:
        return max(0, int(self._redis.ttl(f"cia:lock:{_hashed(key)}")))

    def clear(self, key: str) -> None:
        hashed = _hashed(key)
        self._redis.delete(f"cia:fail:{hashed}", f"cia:lock:{hashed}")


class LoginThrottle:
    def __init__(self, store, limits: Limits) -> None:
        self.store = store
        self.limits = limits

    @staticmethod
    def _keys(email: str, address: str) -> tuple[str, str, str]:
        email = email.strip().lower()
        return f"pair:{email}|{address}", f"addr:{address}", f"acct:{email}"

    def locked_for(self, email: str, address: str, *, known_address: bool = False) -> int:
        """Seconds until this account may be tried again from this address (0 = now). Other attempts
        at this account from this address wait until this request's transaction ends.

        `known_address`: the account has signed in from this address recently, so the locks that
        strangers' guessing can trigger (per address, per account from everywhere) do not apply.
        """
        pair, addr, acct = self._keys(email, address)
        self.store.hold(pair)
        keys = [pair] if known_address else [pair, addr, acct]
        return max(self.store.locked_for(key) for key in keys)

    def failure(self, email: str, address: str) -> None:
        lim = self.limits
        pair, addr, acct = self._keys(email, address)
        for key, limit in ((pair, lim.max_per_account), (addr, lim.max_per_address),
                           (acct, lim.max_per_account_all_addresses)):
            if self.store.add_failure(key, lim.window) >= limit:
                self.store.lock(key, lim.lockout)

    def success(self, email: str, address: str) -> None:
        """A right password from this address clears that pair's count (not the others: a guesser who
        also knows one password must not reset the counts of everyone else's guessing)."""
        self.store.clear(self._keys(email, address)[0])


def from_config(config) -> LoginThrottle:
    limits = Limits(
        config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        config["CIA_LOGIN_MAX_FAILURES_PER_ADDRESS"],
        config["CIA_LOGIN_WINDOW_SECONDS"],
        config["CIA_LOGIN_LOCKOUT_SECONDS"],
        config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES"],
    )
    url = config.get("CIA_REDIS_URL")
    return LoginThrottle(RedisStore(url) if url else DatabaseStore(), limits)
