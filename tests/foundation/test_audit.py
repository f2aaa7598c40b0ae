import csv
import io

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DatabaseError

from ai_toolbox import audit
from ai_toolbox.errors import InvalidInput, NotFound, NotPermitted
from ai_toolbox.storage import session_scope
from ai_toolbox.storage.models import AuditEvent


def _act(principal, tool="text", action="convert", text="核心價值"):
    with audit.record(principal, tool, action, input_text=text) as rec:
        rec.output(text.upper())
    return rec.id


def test_record_keeps_hashes_not_text_by_default(officer, admin):
    audit_id = _act(officer)
    event = audit.get_event(admin, audit_id)
    assert event.input_size == 4 and len(event.input_sha256) == 64
    assert event.minutes_saved == audit.minutes_for("text", "convert") > 0
    with session_scope() as s:
        assert s.get(AuditEvent, audit_id).raw_input is None


def test_department_opt_in_keeps_raw_text(officer, admin):
    from ai_toolbox import accounts

    with session_scope() as s:
        accounts.update_department(s, admin, "default", store_raw_audit=True)
    audit_id = _act(officer, text="keep me")
    with session_scope() as s:
        assert s.get(AuditEvent, audit_id).raw_input == "keep me"


def test_failed_action_is_recorded_and_reraised(officer, admin):
    with pytest.raises(InvalidInput), audit.record(officer, "doc", "summarise", input_text="x"):
        raise InvalidInput("bad file")
    (event,) = audit.list_events(admin, audit.AuditFilter(tool="doc"))
    assert event.status == "error" and "bad file" in event.error and event.minutes_saved == 0


def _tamper(audit_id):
    with session_scope() as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == audit_id).values(tool="forged"))


def _erase(audit_id):
    with session_scope() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.id == audit_id))


@pytest.mark.parametrize("change", [_tamper, _erase])
def test_audit_is_append_only_in_the_database(officer, change):
    audit_id = _act(officer)
    with pytest.raises(DatabaseError, match="append-only"):
        change(audit_id)


@pytest.mark.postgres
@pytest.mark.parametrize("change", [_tamper, _erase])
def test_audit_is_append_only_on_postgres(pg_url, make_principal, change):
    audit_id = _act(make_principal("default", "officer"))
    with pytest.raises(DatabaseError, match="append-only"):
        change(audit_id)


def test_listing_is_limited_to_own_department(make_principal):
    a = make_principal("housing", "officer")
    b = make_principal("transport", "officer")
    _act(a)
    _act(b)
    housing_auditor = make_principal("housing", "auditor")
    assert {e.department for e in audit.list_events(housing_auditor)} == {"housing"}
    with pytest.raises(NotPermitted):
        audit.list_events(a)


def test_export_csv_has_every_event(officer, admin):
    for _ in range(3):
        _act(officer)
    buf = io.StringIO()
    assert audit.export_csv(admin, buf) == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == 3 and rows[0]["tool"] == "text" and "input_sha256" in rows[0]


def test_efficacy_adds_up_tasks_minutes_and_feedback(make_principal, admin):
    a = make_principal("housing", "officer")
    ok1, ok2 = _act(a), _act(a)
    with pytest.raises(InvalidInput), audit.record(a, "text", "convert"):
        raise InvalidInput("nope")
    audit.add_feedback(a, ok1, True)
    audit.add_feedback(a, ok2, False, "wrong term")
    (row,) = audit.efficacy(admin, ("tool", "department"))
    assert row.key == {"tool": "text", "department": "housing"}
    assert (row.tasks, row.succeeded, row.helpful, row.not_helpful) == (3, 2, 1, 1)
    assert row.minutes_saved == pytest.approx(2 * audit.minutes_for("text", "convert"))
    (by_month,) = audit.efficacy(admin, ("tool",), period="month")
    assert by_month.key["period"].endswith("-01")


def test_feedback_on_another_departments_action_is_not_found(make_principal):
    a = make_principal("housing", "officer")
    b = make_principal("transport", "officer")
    with pytest.raises(NotFound):
        audit.add_feedback(b, _act(a), True)
