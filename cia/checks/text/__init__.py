"""Pure text judgements the rules share: web addresses, people, abbreviations.

Nothing here knows about assessments or templates: each function takes strings and
returns what it found, so that the rules in `cia.checks.rules` stay small and each
judgement has its own unit tests.
"""
