"""Sign-in throttling: a temporary lock-out after repeated failures, per account and per address.

In memory by default (one process); with CIA_REDIS_URL the counts are shared by
every worker, which is what a deployment with several gunicorn workers needs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class Limits:
    max_per_account: int
    max_per_address: int
    window: int
    lockout: int


class MemoryStore:
    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def add_failure(self, key: str, window: int) -> int:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < window]
            recent.append(now)
            self._failures[key] = recent
            return len(recent)

    def lock(self, key: str, seconds: int) -> None:
        with self._lock:
            self._locked[key] = time.monotonic() + seconds

    def locked_for(self, key: str) -> int:
        with self._lock:
            until = self._locked.get(key, 0)
        return max(0, int(until - time.monotonic() + 0.999))

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._locked.pop(key, None)


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def add_failure(self, key: str, window: int) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(f"cia:fail:{key}")
        pipe.expire(f"cia:fail:{key}", window, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def lock(self, key: str, seconds: int) -> None:
        self._redis.set(f"cia:lock:{key}", 1, ex=seconds)

    def locked_for(self, key: str) -> int:
        return max(0, int(self._redis.ttl(f"cia:lock:{key}")))

    def clear(self, key: str) -> None:
        self._redis.delete(f"cia:fail:{key}", f"cia:lock:{key}")


class LoginThrottle:
    def __init__(self, store, limits: Limits) -> None:
        self.store = store
        self.limits = limits

    def locked_for(self, email: str, address: str) -> int:
        """Seconds until sign-in is allowed again for this account or address (0 = allowed)."""
        return max(self.store.locked_for(f"acct:{email.lower()}"), self.store.locked_for(f"addr:{address}"))

    def failure(self, email: str, address: str) -> None:
        lim = self.limits
        if self.store.add_failure(f"acct:{email.lower()}", lim.window) >= lim.max_per_account:
            self.store.lock(f"acct:{email.lower()}", lim.lockout)
        if self.store.add_failure(f"addr:{address}", lim.window) >= lim.max_per_address:
            self.store.lock(f"addr:{address}", lim.lockout)

    def success(self, email: str) -> None:
        self.store.clear(f"acct:{email.lower()}")


def from_config(config) -> LoginThrottle:
    limits = Limits(
        config["CIA_LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        config["CIA_LOGIN_MAX_FAILURES_PER_ADDRESS"],
        config["CIA_LOGIN_WINDOW_SECONDS"],
        config["CIA_LOGIN_LOCKOUT_SECONDS"],
    )
    url = config.get("CIA_REDIS_URL")
    return LoginThrottle(RedisStore(url) if url else MemoryStore(), limits)
