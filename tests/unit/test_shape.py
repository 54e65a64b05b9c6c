"""The standard parts' shape (cia/shape.py) is the stored classes' and the JSON Schema's: one
declaration, checked against both, so a field added to one is named everywhere."""

from __future__ import annotations

import dataclasses

import pytest

from cia import jsonformat, shape
from cia.domain import (
    COMMUNITY_IMPACT_KEYS,
    CommunityImpact,
    EngagementActivity,
    EvidenceBase,
    EvidenceItem,
    ProposalDetails,
    StaffImpact,
    TeamMember,
    WorkforceLine,
)
from cia.web import labels


def names(cls, *, without=("id",)) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name not in without]


def keys(fields) -> list[str]:
    return [f.key for f in fields]


@pytest.mark.parametrize("declared, cls, schema_name, without", [
    (shape.DETAILS.fields, ProposalDetails, "ProposalDetails", ()),
    (shape.TEAM.item_fields, TeamMember, "TeamMember", ("id",)),
    ((*shape.ENGAGEMENT.item_fields, *shape.ENGAGEMENT.item_flags), EngagementActivity, "EngagementActivity", ("id",)),
    (shape.STAFF.fields, StaffImpact, "StaffImpact", ()),
    (shape.STAFF.item_fields, WorkforceLine, "WorkforceLine", ()),
    ((*shape.COMMUNITY_IMPACT.fields, *shape.COMMUNITY_IMPACT.flags), CommunityImpact, "CommunityImpact", ()),
    ([f for f in shape.EVIDENCE.fields if f.key != "completed"],  # the part's, beside its Evidence Base
     EvidenceBase, "EvidenceBase", ("items",)),
    ((*shape.EVIDENCE.item_fields, *shape.EVIDENCE.item_flags), EvidenceItem, "EvidenceItem", ("id",)),
])
def test_each_part_declares_exactly_the_stored_fields(declared, cls, schema_name, without):
    assert keys(declared) == names(cls, without=without)
    in_schema = [n for n in jsonformat.schema()["$defs"][schema_name]["properties"] if n not in without]
    assert in_schema == names(cls, without=without)


def test_the_lists_are_the_stored_lists():
    assert shape.TEAM.items == "members" and shape.ENGAGEMENT.items == "activities"
    assert shape.EVIDENCE.items == "items" and shape.STAFF.items == "profile"
    assert keys(shape.COMMUNITY_IMPACT.fields) == list(COMMUNITY_IMPACT_KEYS)


def test_the_history_names_a_field_in_its_own_parts_words():
    assert labels.path_label("activities[a1].groups", "engagement", None) == "Activity: Groups engaged"
    assert labels.path_label("members[m1].job_title", "team", None) == "Team member: Job title"
    assert labels.path_label("decision_date", "details", None) == "Expected decision date"
    assert labels.part_label("staff", None) == "Staff impact"


def test_dates_are_entered_as_day_month_and_year_on_their_pages():
    assert shape.date_fields() == {"date", "decision_date", "date_first_involved"}
