"""The checker: the CIA template's own rules over the plain data of an assessment.

Imports nothing from Flask. `run_checks(assessment, template)` is the entry point.
"""

from cia.checks.base import (  # noqa: F401
    ADVICE,
    DRAFTING,
    ERROR,
    PUBLICATION,
    WARNING,
    CheckConfig,
    Finding,
    Location,
    Report,
    Rule,
    all_rules,
    get_rule,
    run_checks,
)
