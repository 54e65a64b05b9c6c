"""Fixtures the checker's unit tests share: the seeded template and a CIA that meets every rule.

Test modules that define their own `template` or `a` fixture use theirs.
"""

from __future__ import annotations

import pytest

from cia.domain import Assessment, TemplateSpec
from tests.unit.check_builders import good_assessment, load_template


@pytest.fixture(scope="module")
def template() -> TemplateSpec:
    return load_template()


@pytest.fixture
def a(template: TemplateSpec) -> Assessment:
    return good_assessment(template)
