"""Plain-data classes: dataclass <-> plain dict (JSON / YAML) without loss, types checked on the way in.

Why a mixin of our own rather than a library: the template and assessment formats are documented
field by field (docs/template-format.md, docs/assessment-format.md) and must load exactly what they
say, with messages that name the field ("Question.options: expected a list"). Imports nothing from
Flask.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
import uuid
from typing import Any, TypeVar

T = TypeVar("T", bound="Plain")


def new_id() -> str:
    """Short random id for list items, stable across saves so links and diffs hold."""
    return uuid.uuid4().hex[:10]


class Plain:
    """Mixin: dataclass <-> plain dict (JSON / YAML) without loss."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(typing.cast(Any, self))}

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        if not isinstance(data, dict):
            raise ValueError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
        loaders = _loaders_of(typing.cast(Any, cls))
        return cls(**{name: load(data[name], where) for name, load, where in loaders if name in data})

    def copy(self: T) -> T:
        return type(self).from_dict(self.to_dict())


@functools.cache
def _loaders_of(cls: Any) -> tuple[tuple[str, Any, str], ...]:
    """(name, loader, place) per field. Worked out once per class: pages load thousands of items."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _loader(hints[f.name]), f"{cls.__name__}.{f.name}") for f in dataclasses.fields(cls))


def _dump(value: Any) -> Any:
    if isinstance(value, Plain):
        return value.to_dict()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: expected true or false")
    return value


def _load_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where}: expected a whole number")
    return value


def _load_str(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected text")
    return value


@functools.cache
def _loader(tp: Any):
    """A function (value, where) -> value that checks and converts one type hint's values."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        load_inner = _loader(inner)
        return lambda value, where: None if value is None else load_inner(value, where)
    if isinstance(tp, type) and issubclass(tp, Plain):
        return lambda value, where: tp.from_dict(value)
    if origin is list:
        load_item = _loader(args[0])

        def load_list(value, where):
            if not isinstance(value, list):
                raise ValueError(f"{where}: expected a list")
            return [load_item(v, where) for v in value]

        return load_list
    if origin is dict:
        load_value = _loader(args[1])

        def load_dict(value, where):
            if not isinstance(value, dict):
                raise ValueError(f"{where}: expected an object")
            return {str(k): load_value(v, where) for k, v in value.items()}

        return load_dict
    return {bool: _load_bool, int: _load_int, str: _load_str}.get(tp, lambda value, where: value)
