"""A template version as a YAML file: `flask cia template-export/-import`, and download/upload pages."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cia import templateformat
from cia.data import templates
from cia.extensions import db
from cia.models import Template, TemplateVersion
from tests.factories import STAFFORDSHIRE_YAML, load_staffordshire
from tests.helpers import error_summary, page_fields, signed_in
from tests.integration.designer_support import (
    ADMIN,
    IIA_YAML,
    audit_rows,
    counts,
    new_draft,
    seeded_version_id,
    spec,
    status,
)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["cia", *args])


@pytest.fixture
def admin(app, users):
    return signed_in(app, ADMIN)


# --- the commands ------------------------------------------------------------------------------------


def test_export_writes_the_version_as_yaml(app, tmp_path):
    seeded = seeded_version_id(app)
    result = run(app, "template-export", str(seeded))
    assert result.exit_code == 0, result.output
    assert templateformat.load(result.output) == spec(app, seeded)
    target = tmp_path / "cia.yaml"
    result = run(app, "template-export", str(seeded), "--output", str(target))
    assert result.exit_code == 0 and "to " + str(target) in result.output
    assert target.read_text(encoding="utf-8") == templateformat.dump(spec(app, seeded))
    assert audit_rows(app, "template.exported")[-1].actor_email == "flask cia template-export"
    assert run(app, "template-export", "999999").exit_code == 1


def test_importing_the_bundled_file_gives_the_seeded_template(app):
    seeded = seeded_version_id(app)
    result = run(app, "template-import", str(STAFFORDSHIRE_YAML))
    assert result.exit_code == 0, result.output
    assert "a new version of the template 'Community Impact Assessment Template': version 2" in result.output
    with app.app_context():
        version = db.session.execute(select(TemplateVersion).where(TemplateVersion.number == 2)).scalar_one()
        imported_id, template_id = version.id, version.template_id
        assert version.status == "draft"
    assert template_id == db_template_id(app, seeded)
    imported, original = spec(app, imported_id), spec(app, seeded)
    assert imported.version == 2
    imported.version = 1
    assert imported == original == load_staffordshire()
    assert audit_rows(app, "template.imported")[-1].details["source"] == str(STAFFORDSHIRE_YAML)


def db_template_id(app, version_id: int) -> int:
    with app.app_context():
        return db.session.get(TemplateVersion, version_id).template_id


def test_import_a_new_template_and_publish_it(app):
    result = run(app, "template-import", str(IIA_YAML), "--publish")
    assert result.exit_code == 0, result.output
    assert "as a new template: version 1" in result.output and "published" in result.output
    with app.app_context():
        template = db.session.execute(select(Template).where(Template.name == "Integrated Impact Assessment")).scalar_one()
        assert template.slug == "integrated-impact-assessment"
        assert [v.status for v in template.versions] == ["published"]
        version_id = template.versions[0].id
    assert spec(app, version_id) == templateformat.load(IIA_YAML.read_text(encoding="utf-8"))
    # The same file again: a second version of the same template, as a draft.
    result = run(app, "template-import", str(IIA_YAML))
    assert result.exit_code == 0 and "version 2" in result.output
    # A third while that draft exists is refused (one draft at a time), and changes nothing.
    before = counts(app)
    result = run(app, "template-import", str(IIA_YAML))
    assert result.exit_code == 1 and "already has a draft (version 2)" in result.output
    assert counts(app) == before


def test_a_second_template_with_a_taken_slug_gets_its_own(app, tmp_path):
    text = IIA_YAML.read_text(encoding="utf-8").replace("name: Integrated Impact Assessment",
                                                         "name: Staffordshire CIA")
    path = tmp_path / "other.yaml"
    path.write_text(text, encoding="utf-8")
    with app.app_context():
        db.session.add(Template(slug="staffordshire-cia-2", name="Something else"))
        db.session.commit()
    assert run(app, "template-import", str(path)).exit_code == 0
    with app.app_context():
        slugs = set(db.session.execute(select(Template.slug)).scalars())
    assert {"staffordshire-cia", "staffordshire-cia-2", "staffordshire-cia-3"} <= slugs


@pytest.mark.parametrize("content, message", [
    ("name: Broken\nsections:\n  - key: one\n   title: misaligned\n", "not valid YAML"),
    ("name: No sections\n", "sections is missing"),
    ("name: X\nsections:\n- key: a\n  title: A\n- key: a\n  title: B\n", 'the same key ("a")'),
    ("name: X\nsections:\n- key: a\n  title: ''\n", "Section 1 has no title"),
    ("name: X\nsections:\n- key: a\n  title: A\n  allow_custom_rows: maybe\n", "expected true or false"),
    ("on: yes\nname: X\nsections:\n- key: a\n  title: A\n", 'The field name "on" is read as true or false'),
    ("~: x\nname: X\nsections:\n- key: a\n  title: A\n", 'The field name "~" is read as nothing (null)'),
    ("name: X\nsections:\n" + "".join("  " * i + "-\n" for i in range(100)), "nested too deeply"),
])
def test_a_malformed_file_changes_nothing(app, tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    before = counts(app)
    result = run(app, "template-import", str(path))
    assert result.exit_code == 2
    assert "Nothing was imported" in result.output and message in result.output and "line" in result.output
    assert counts(app) == before


def test_publishing_an_unpublishable_file_changes_nothing(app, tmp_path):
    path = tmp_path / "no-scales.yaml"
    path.write_text("name: No scales\nsections:\n- key: a\n  title: A\n  category_areas:\n  - {key: b, title: B}\n",
                    encoding="utf-8")
    before = counts(app)
    result = run(app, "template-import", str(path), "--publish")
    assert result.exit_code == 2 and "Add at least one option to the likelihood scale" in result.output
    assert counts(app) == before
    assert run(app, "template-import", str(tmp_path / "missing.yaml")).exit_code == 2


# --- the pages -------------------------------------------------------------------------------------------


def test_download_a_version(app, admin):
    seeded = seeded_version_id(app)
    response = admin.get(f"/templates/versions/{seeded}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="community-impact-assessment-template-v1.yaml"'
    assert templateformat.load(response.data) == spec(app, seeded)
    assert audit_rows(app, "template.exported")[-1].object_id == str(seeded)


def _upload(client, url: str, content: bytes, filename: str = "template.yaml", **fields):
    page = client.get(url).get_data(as_text=True)
    data = {**{k: v for k, v in page_fields(page, "upload").items()}, **fields,
            "file": (io.BytesIO(content), filename)}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_upload_replaces_a_draft(app, admin):
    draft = new_draft(admin, app)
    text = IIA_YAML.read_text(encoding="utf-8")
    response = _upload(admin, f"/templates/versions/{draft}/upload", text.encode())
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    replaced = spec(app, draft)
    assert replaced.name == "Integrated Impact Assessment" and replaced.version == 2
    assert [s.key for s in replaced.sections] == ["access", "environment", "travel"]
    assert audit_rows(app, "template.edited")[-1].details["page"] == "upload template.yaml"


@pytest.mark.parametrize("content, message", [
    (b"name: Broken\nsections: [\n", "The file has a problem: line 3"),
    (b"name: X\nsections:\n- key: a\n  title: A\n- key: a\n  title: B\n", 'has the same key ("a") as section 1'),
    (b"\xff\xfe not text", "not UTF-8"),
    (b"", "The file is empty"),
    # Found by the security review: these hung the upload for ever, or gave a 500 after minutes.
    (b"name: X\nsections:\n- key: a\n  title: A\nyes: 1\n", 'line 5: The field name "yes" is read as true or false'),
    (b"name: X\nsections:\n- key: a\n  title: A\n0x10: 1\n", 'The field name "0x10" is read as a number'),
    (b"name: X\nsections: " + b"[" * 100_000 + b"]" * 100_000, "line 2"),
    (b"name: X\nsections:\n" + b"".join(b"- {key: s%d, title: S%d}\n" % (i, i) for i in range(51)),
     "A template can have up to 50 sections (this one has 51)"),
])
def test_a_bad_upload_is_explained_and_changes_nothing(app, admin, content, message):
    draft = new_draft(admin, app)
    before, before_counts = spec(app, draft), counts(app)
    response = _upload(admin, f"/templates/versions/{draft}/upload", content)
    assert response.status_code == 400
    summary = error_summary(response.get_data(as_text=True))
    assert any(message in text for _, text in summary), summary
    assert all(href == "#file" for href, _ in summary)
    assert spec(app, draft) == before and counts(app) == before_counts


def test_uploads_are_size_limited_and_required(app, admin):
    draft = new_draft(admin, app)
    big = b"name: Big\nsections: []\n# " + b"x" * (1024 * 1024)
    response = _upload(admin, f"/templates/versions/{draft}/upload", big)
    assert response.status_code == 400
    assert ("#file", "The file must be smaller than 1 MB") in error_summary(response.get_data(as_text=True))
    page = admin.get(f"/templates/versions/{draft}/upload").get_data(as_text=True)
    response = admin.post(f"/templates/versions/{draft}/upload", data=page_fields(page, "upload"),
                          content_type="multipart/form-data")
    assert ("#file", "Select a YAML file to upload") in error_summary(response.get_data(as_text=True))


def test_upload_a_new_template_from_the_templates_page(app, admin):
    response = _upload(admin, "/templates/import", IIA_YAML.read_bytes(), "iia.yaml", publish="yes")
    assert response.status_code == 302, error_summary(response.get_data(as_text=True))
    version_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert status(app, version_id) == "published"
    assert "iia.yaml has been imported as a new template, published" in admin.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert templates.newest_published_version().id == seeded_version_id(app)  # the default still comes first


@pytest.mark.parametrize("slug", templates.bundled_template_slugs())
def test_every_shipped_template_is_stored_and_exported_without_losing_a_field(app, slug):
    """Sign-off steps, standard pages, the council's lists, questions of every kind: stored with the
    version, read back and written out as the file that shipped (nothing silently dropped)."""
    with app.app_context():
        templates.seed_bundled_templates([slug])
        db.session.commit()
        version = db.session.execute(select(Template).where(Template.slug == slug)).scalar_one().versions[0]
        version_id = version.id
    shipped = templates.bundled_template_spec(slug)
    assert spec(app, version_id) == shipped
    result = run(app, "template-export", str(version_id))
    assert result.exit_code == 0, result.output
    assert templateformat.load(result.output) == shipped


def test_a_file_of_format_1_imports_as_it_was_meant(app):
    from pathlib import Path

    old_file = Path(__file__).parent.parent / "data" / "format-1" / "integrated-impact-assessment.yaml"
    result = run(app, "template-import", str(old_file))
    assert result.exit_code == 0, result.output
    with app.app_context():
        version_id = db.session.execute(select(TemplateVersion.id).join(Template)
                                        .where(Template.name == "Integrated Impact Assessment")).scalar_one()
    imported = spec(app, version_id)
    assert sorted(imported.rule_settings) == [f"CIA-R{n:02d}" for n in range(1, 17)]
    assert not imported.rule_settings["CIA-R07"].enabled
    exported = run(app, "template-export", str(version_id))
    assert exported.output.splitlines()[1] == "format: cia-template/2"
