"""Reading YAML and JSON from outside with bounded size, depth, number of values and time.

Every file a person gives the service (a template's YAML in the designer or `flask cia
template-import`, an assessment's JSON in `flask cia import-json` or `check`) is read here first,
so a hostile or broken file is refused with a plain message before anything slow or recursive
sees it:

- size: more than `max_bytes` is refused without reading further;
- depth: lists and fields nested more than `max_depth` deep are refused while the text is
  scanned (Python's parsers recurse: 10,000 levels used to crash or take minutes);
- values: more than `max_values` scalars, lists and fields in all;
- time: a scan that has taken more than `max_seconds` stops (a backstop: the limits above keep
  real files far below it);
- YAML only: anchors and aliases (`&a`, `*a`: a template never needs them, and they can multiply
  a small file into a huge one), and field names that YAML 1.1 reads as something other than
  text (`yes:`, `on:`, `~:`, `0x10:` became true, null and 16, and the old reader then never
  finished).

`load_yaml` and `load_json` return the plain data (dicts, lists, text, numbers); `UnsafeInput`
says what was wrong and, for YAML, on which line. Imports nothing from Flask.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_depth: int = 32
    max_values: int = 200_000
    max_seconds: float = 5.0


#: A template: the designer's upload limit; its deepest real value is 5 levels down, and one at every
#: limit of the designer (50 sections of 100 category areas ...) has about 45,000 values.
TEMPLATE_LIMITS = Limits(max_bytes=1024 * 1024, max_values=100_000)
#: An assessment: 300 rows with long answers are a few megabytes; its deepest value is 7 levels down.
ASSESSMENT_LIMITS = Limits(max_bytes=16 * 1024 * 1024, max_values=1_000_000)


class UnsafeInput(ValueError):
    """A file refused before parsing: `line` (1-based) when it is known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def _size(text: str | bytes, limits: Limits) -> None:
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > limits.max_bytes:
        raise UnsafeInput(f"The file is too large: it must be {limits.max_bytes // 1024:,} KB or smaller")


class _Budget:
    """Counts values and nesting as the scan goes, and keeps to the time allowed."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.depth = 0
        self.values = 0
        self.started = time.monotonic()

    def open(self, line: int | None) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise UnsafeInput(f"The file is nested too deeply: lists and fields can be at most "
                              f"{self.limits.max_depth} levels deep", line)
        self.value(line)

    def close(self) -> None:
        self.depth -= 1

    def value(self, line: int | None) -> None:
        self.values += 1
        if self.values > self.limits.max_values:
            raise UnsafeInput(f"The file has too many values: at most {self.limits.max_values:,}", line)
        if self.values % 1000 == 0 and time.monotonic() - self.started > self.limits.max_seconds:
            raise UnsafeInput("The file took too long to read: it is too large or too complicated", line)


# --- YAML -------------------------------------------------------------------------------------------

_OPENS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
          yaml.FlowSequenceStartToken)
_CLOSES = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
_STR_TAG = "tag:yaml.org,2002:str"
_READ_AS = {"tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:null": "nothing (null)",
            "tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number"}


#: libyaml's scanner when PyYAML was built with it (ten times faster), else PyYAML's own.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str | bytes, limits: Limits = TEMPLATE_LIMITS) -> tuple[yaml.Node | None, Any]:
    """Scan, compose and construct YAML within the limits: the node tree (for line numbers) and the
    plain data, both None for an empty file.

    Raises UnsafeInput for a file outside the limits, yaml.YAMLError for one that is not YAML.
    """
    root = check_yaml(text, limits)
    if root is None:
        return None, None
    return root, yaml.SafeLoader("").construct_document(root)


def check_yaml(text: str | bytes, limits: Limits = TEMPLATE_LIMITS) -> yaml.Node | None:
    """Scan and compose YAML within the limits; the composed node tree (None for an empty file)."""
    _size(text, limits)
    budget = _Budget(limits)
    for token in yaml.scan(text, Loader=_LOADER):
        line = token.start_mark.line + 1
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            raise UnsafeInput("The file uses YAML anchors or aliases (& or *): write out each value in full", line)
        if isinstance(token, _OPENS):
            budget.open(line)
        elif isinstance(token, _CLOSES):
            budget.close()
        elif isinstance(token, yaml.ScalarToken):
            budget.value(line)
    root = yaml.compose(text, Loader=_LOADER)
    if root is not None:
        _plain_keys(root)
    return root


def _plain_keys(root: yaml.Node) -> None:
    """Every field name is text: `yes:` is read by YAML 1.1 as true, `~:` as null, `0x10:` as 16."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != _STR_TAG:
                    shown = key.value if isinstance(key, yaml.ScalarNode) else "a list or set of fields"
                    what = _READ_AS.get(key.tag, "something other than text")
                    raise UnsafeInput(f'The field name "{shown}" is read as {what}, not as a name: '
                                      f'put it in quotes ("{shown}":) or correct it', key.start_mark.line + 1)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def load_yaml(text: str | bytes, limits: Limits = TEMPLATE_LIMITS) -> Any:
    """The plain data of a YAML document read within the limits (see parse_yaml)."""
    return parse_yaml(text, limits)[1]


# --- JSON -------------------------------------------------------------------------------------------

#: A JSON string (skipped whole), or one of the characters that open or close nesting. A string left
#: open runs to the end of the text (json.loads then says where): requiring its closing quote would make
#: every later quote start a scan to the end, quadratic time for '"' followed by many '\\"'.
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*+"?|[\[\]{}]', re.S)


def check_json(text: str | bytes, limits: Limits = ASSESSMENT_LIMITS) -> None:
    """Refuse JSON text outside the limits, before json.loads (which recurses) sees it."""
    _size(text, limits)
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    budget = _Budget(limits)
    for match in _JSON_STRUCTURE.finditer(text):
        found = match.group()
        if found in "[{":
            budget.open(None)
        elif found in "]}":
            budget.close()
        else:
            budget.value(None)


def load_json(text: str | bytes, limits: Limits = ASSESSMENT_LIMITS, **options) -> Any:
    """The plain data of a JSON document read within the limits; json.JSONDecodeError when not JSON."""
    check_json(text, limits)
    return json.loads(text, **options)
