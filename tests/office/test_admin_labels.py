"""The admin speaks the UI language, the task backend included (it ships English labels
without a catalogue and an app name no catalogue can reach)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.test", "pw-root-1")
    client.force_login(user)
    return client


@pytest.fixture
def task_result(db):
    """One queued task as the database backend stores it (tests run tasks immediately)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path="parklink.leads.tasks.lead_notify_owner",
        args_kwargs={"args": [1, "new"], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("en", ["Background tasks", "Task results"], ["Tasks Database Backend", "后台任务"]),
        ("zh-hans", ["后台任务", "任务结果"], ["Tasks Database Backend", "Task Results"]),
    ],
)
def test_admin_index_names_the_task_backend_in_the_ui_language(
    admin_client, lang, expected, absent
):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Task", "Status", "Enqueued at", "Queue name"]),
        ("zh-hans", ["任务", "状态", "入队时间", "队列"]),
    ],
)
def test_task_result_list_columns_are_labelled(admin_client, task_result, lang, expected):
    resp = admin_client.get("/admin/django_tasks_database/dbtaskresult/", HTTP_ACCEPT_LANGUAGE=lang)
    assert resp.status_code == 200
    html = resp.content.decode()
    headers = " ".join(html.split("<thead>", 1)[1].split("</thead>", 1)[0].split())
    for label in expected:
        assert f">{label}<" in headers.replace("> ", ">").replace(" <", "<"), (label, headers)
    assert "Task name" not in headers
    detail = admin_client.get(
        f"/admin/django_tasks_database/dbtaskresult/{task_result.pk}/change/",
        HTTP_ACCEPT_LANGUAGE=lang,
    ).content.decode()
    assert ("Traceback:" if lang == "en" else "错误堆栈:") in detail
    assert ("Arguments:" if lang == "en" else "参数:") in detail


def test_relabelling_needs_no_migration_of_the_task_backend(capsys):
    call_command("makemigrations", "django_tasks_database", check=True, dry_run=True)
