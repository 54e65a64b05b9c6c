"""The template format's JSON Schema: current with the classes and the documentation, and true of
every template the service ships or writes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from cia import templateformat, templateschema
from tests.factories import load_staffordshire

ROOT = Path(__file__).parent.parent.parent
DOCS = (ROOT / "docs" / "template-format.md").read_text(encoding="utf-8")
SCHEMA_FILE = ROOT / "cia" / "schema" / "template.schema.json"
SHIPPED = sorted((ROOT / "cia" / "template_data").glob("*.yaml"))


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_file_is_what_the_classes_and_the_documentation_make_now():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == templateschema.build(DOCS), (
        "Regenerate it: .venv/bin/python -m cia.templateschema docs/template-format.md > "
        "cia/schema/template.schema.json")


def test_every_field_of_every_template_class_is_documented():
    documented = templateschema.documented_fields(DOCS)
    for cls in templateschema.DOCUMENTED.values():
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in documented.get(cls.__name__, {})]
        assert not missing, f"{cls.__name__}: {missing} not in docs/template-format.md"


@pytest.mark.parametrize("path", [p for p in SHIPPED if p.name != "format-1-meaning.yaml"], ids=lambda p: p.name)
def test_every_shipped_template_satisfies_the_schema(path):
    assert not list(validator().iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_what_the_service_writes_satisfies_the_schema():
    assert not list(validator().iter_errors(yaml.safe_load(templateformat.dump(load_staffordshire()))))


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(colour="blue"), []),
    (lambda d: d["sections"][0].update(titel="Typo"), ["sections", 0]),
    (lambda d: d["sections"][0]["category_areas"][0].update(key="Not A Key"), ["sections", 0, "category_areas", 0, "key"]),
    (lambda d: d.update(format="cia-template/9"), ["format"]),
    (lambda d: d["rule_settings"]["CIA-R01"].update(severity="fatal"), ["rule_settings", "CIA-R01", "severity"]),
    (lambda d: d.update(version="one"), ["version"]),
])
def test_a_file_with_a_wrong_field_fails_the_schema_where_it_is_wrong(change, where):
    data = yaml.safe_load(templateformat.dump(load_staffordshire()))
    change(data)
    errors = list(validator().iter_errors(data))
    assert errors and any(list(e.absolute_path) == where for e in errors), [list(e.absolute_path) for e in errors]
