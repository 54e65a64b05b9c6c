"""The checker's rules (product brief, section 3, and the templates' own questions), registered on import.

One module per group of rules; `cia.checks.base.run_checks` imports this package.

* `rows`: R01-R04, rows completed or N/A, risks mitigated, groups named, Evidence Base
* `process`: R05-R08, R11, R12, header, Project Team and its required role, engagement, staff, planning stage
* `personal`: R09, personal details of members of the public
* `links`: R10, links the public can open
* `boilerplate`: R13, text pasted across rows or Evidence Bases
* `quality`: R14-R16, percent tables, acronyms, Health and Care legislation
* `questions`: R17, the template's own questions answered
* `actions`: R18, a negative rating answered by the action plan (the template's own questions)
"""

from cia.checks.rules import actions, boilerplate, links, personal, process, quality, questions, rows  # noqa: F401
