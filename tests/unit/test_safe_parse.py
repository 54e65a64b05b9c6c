"""Bounded reading of YAML and JSON (cia/safe_parse.py), through the two formats that use it.

Findings of the security review: a template whose top-level field name YAML 1.1 reads as a
boolean, null or number (`yes:`, `on:`, `~:`, `0x10:`) hung the import for ever; deeply nested
YAML gave a 500 after minutes; deeply nested JSON crashed `import-json`; the YAML import ignored
the designer's limits (20,000 sections were accepted).
"""

from __future__ import annotations

import threading
import time

import pytest
import yaml

from cia import jsonformat, safe_parse, templateformat
from cia.templateformat import TemplateFormatError

VALID_SECTION = "- key: a\n  title: A\n"


def finishes(call, seconds: float = 10):
    """Run `call` in a thread; its outcome (value or exception), or fail if it has not finished in time."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s"
    return outcome


@pytest.mark.parametrize("key, read_as", [("yes", "true or false"), ("on", "true or false"), ("No", "true or false"),
                                          ("~", "nothing (null)"), ("null", "nothing (null)"),
                                          ("0x10", "a number"), ("12", "a number"), ("1.5", "a number")])
def test_a_field_name_read_as_something_else_is_named_with_its_line(key, read_as):
    text = f"name: X\nsections:\n{VALID_SECTION}{key}: something\n"
    error = finishes(lambda: templateformat.load(text))["error"]
    assert isinstance(error, TemplateFormatError)
    assert str(error) == (f'line 5: The field name "{key}" is read as {read_as}, not as a name: put it in quotes '
                          f'("{key}":) or correct it')


def test_a_nested_field_name_read_as_something_else_is_refused_too():
    text = "name: X\nsections:\n- key: a\n  title: A\n  true: x\n"
    assert "line 5" in str(finishes(lambda: templateformat.load(text))["error"])


def test_a_quoted_field_name_is_an_ordinary_unknown_field():
    error = finishes(lambda: templateformat.load(f'name: X\nsections:\n{VALID_SECTION}"yes": x\n'))["error"]
    assert "yes is not a field of a template" in str(error)


@pytest.mark.parametrize("text", [
    "name: X\nsections: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "name: X\nsections:\n" + "".join("  " * i + "-\n" for i in range(300)),
    "name: X\nsections: " + "{a: " * 20_000 + "b" + "}" * 20_000 + "\n",
], ids=["flow-lists", "block-lists", "flow-fields"])
def test_deep_nesting_is_refused_at_once(text):
    started = time.monotonic()
    error = finishes(lambda: templateformat.load(text))["error"]
    assert isinstance(error, TemplateFormatError) and "line" in str(error)
    # Ours, or libyaml's own limit on flow nesting, which it meets first while looking ahead.
    assert "nested too deeply" in str(error) or "exceeded maximum nesting depth" in str(error)
    assert time.monotonic() - started < 3


def test_too_many_values_are_refused():
    text = "name: X\nsections: [" + ", ".join(["x"] * 250_000) + "]\n"
    with pytest.raises(safe_parse.UnsafeInput, match="too many values"):
        safe_parse.load_yaml(text, safe_parse.Limits(max_bytes=10 * 1024 * 1024))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(TemplateFormatError, match="too large: it must be 1,024 KB or smaller"):
        templateformat.load("name: X\n# " + "x" * (1024 * 1024))


def test_a_slow_file_stops_at_the_time_limit():
    text = "[" + ", ".join(["x"] * 100_000) + "]"
    with pytest.raises(safe_parse.UnsafeInput, match="took too long"):
        safe_parse.load_yaml(text, safe_parse.Limits(max_bytes=10**7, max_seconds=0))


def test_anchors_and_aliases_are_still_refused():
    with pytest.raises(TemplateFormatError, match="anchors or aliases"):
        templateformat.load("name: &n X\nsections:\n- key: a\n  title: *n\n")


def test_limits_allow_real_templates():
    from tests.factories import STAFFORDSHIRE_YAML

    assert safe_parse.load_yaml(STAFFORDSHIRE_YAML.read_text(encoding="utf-8")) == \
        yaml.safe_load(STAFFORDSHIRE_YAML.read_text(encoding="utf-8"))


# --- the designer's limits apply to files too ----------------------------------------------------


def _sections(count: int) -> str:
    return "name: Many\nsections:\n" + "".join(f"- key: s{i}\n  title: S{i}\n  allow_custom_rows: true\n"
                                               for i in range(count))


def test_the_designer_limits_apply_to_an_imported_file():
    templateformat.load(_sections(templateformat.MAX_SECTIONS))
    with pytest.raises(TemplateFormatError, match="A template can have up to 50 sections"):
        templateformat.load(_sections(templateformat.MAX_SECTIONS + 1))
    areas = "".join(f"  - key: a{i}\n    title: A{i}\n" for i in range(templateformat.MAX_AREAS + 1))
    with pytest.raises(TemplateFormatError, match="up to 100 category areas"):
        templateformat.load(f"name: X\nsections:\n- key: s\n  title: S\n  category_areas:\n{areas}")
    prompts = "".join(f"  - {'p' * 500}\n" for _ in range(50))
    with pytest.raises(TemplateFormatError, match="prompts, one per line, must be 20,000 characters or fewer"):
        templateformat.load(f"name: X\nsections:\n- key: s\n  title: S\n  prompts:\n{prompts}")


def test_twenty_thousand_sections_are_refused_quickly():
    text = "name: Many\nsections:\n" + "".join(f"- {{key: s{i}, title: S{i}}}\n"
                                                for i in range(20_000))
    assert len(text.encode()) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(TemplateFormatError, match="too many values: at most 100,000"):
        templateformat.load(text)
    assert time.monotonic() - started < 3
    fewer = "name: Many\nsections:\n" + "".join(f"- {{key: s{i}, title: S{i}}}\n" for i in range(5_000))
    with pytest.raises(TemplateFormatError, match="up to 50 sections"):
        templateformat.load(fewer)


# --- JSON -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '{"format": "cia-assessment/1", "assessment": ' + '{"a": ' * 50_000 + "1" + "}" * 50_001],
                         ids=["lists", "objects"])
def test_deeply_nested_json_is_a_format_error(text):
    error = finishes(lambda: jsonformat.loads(text))["error"]
    assert isinstance(error, jsonformat.FormatError) and "nested too deeply" in str(error)


def test_brackets_inside_json_strings_are_not_nesting():
    text = '{"a": "' + "[" * 1000 + '\\"{"}'
    assert safe_parse.load_json(text) == {"a": "[" * 1000 + '"{'}


def test_an_unterminated_string_does_not_make_the_check_slow():
    text = '"' + '\\"' * 500_000
    started = time.monotonic()
    error = finishes(lambda: jsonformat.loads(text))["error"]
    assert isinstance(error, jsonformat.FormatError) and "not valid JSON" in str(error)
    assert time.monotonic() - started < 3


def test_json_over_the_size_limit_is_refused():
    with pytest.raises(jsonformat.FormatError, match="too large"):
        jsonformat.loads(b" " * (safe_parse.ASSESSMENT_LIMITS.max_bytes + 1))
