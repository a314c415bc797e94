"""The backups page: the operator's; a shop owner only when the install is theirs alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hanout.accounts.models import User
from hanout.sync import backups
from tests.fixtures import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _backups_in_tmp(settings, tmp_path):
    settings.HANOUT_BACKUP_DIR = str(tmp_path / "backups")
    settings.HANOUT_BACKUP_KEY = ""
    settings.HANOUT_BACKUP_KEY_FILE = ""


@pytest.fixture
def operator(db):
    return User.objects.create_user("ops@hanout.example", "x", is_staff=True)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("backup_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_owner_in_a_multi_tenant_install_sees_nothing(client, owner, other_owner):
    login(client, owner)
    assert 'id="backups-card"' not in client.get(reverse("settings_business")).content.decode()
    assert client.get(reverse("backup_list")).status_code == 404
    assert client.post(reverse("backup_run")).status_code == 404
    assert not backups.backups_list()
    name = "hanout-20270101T030000Z.tar"
    assert client.post(reverse("backup_check", args=[name])).status_code == 404


def test_a_manager_of_the_only_business_sees_nothing(client, member_factory):
    from hanout.core.permissions import Role

    manager = member_factory(role=Role.MANAGER)
    login(client, manager)
    assert client.get(reverse("backup_list")).status_code == 404


def test_the_owner_of_a_one_shop_install_manages_backups(client, owner):
    login(client, owner)
    settings_page = client.get(reverse("settings_business")).content.decode()
    assert 'id="backups-card"' in settings_page and reverse("backup_list") in settings_page
    response = client.get(reverse("backup_list"))
    assert response.status_code == 200
    assert "No backup yet." in response.content.decode()


def test_operator_backs_up_checks_and_gets_the_restore_command(
    client, operator, owner, other_owner, settings
):
    client.force_login(operator)
    page = client.get(reverse("backup_list")).content.decode()
    assert settings.HANOUT_BACKUP_DIR in page and "Back up now" in page

    response = client.post(reverse("backup_run"), follow=True)
    assert response.status_code == 200
    [entry] = backups.backups_list()
    assert entry.complete and entry.engine == backups.engine()
    # SQLite copies the test's own connection; pg_dump reads a snapshot from another one,
    # where the rows of this test's open transaction are not visible yet.
    expected_businesses = 2 if backups.engine() == "sqlite" else 0
    assert entry.manifest["row_counts"]["core_business"] == expected_businesses
    page = response.content.decode()
    assert entry.name in page and "Manifest" in page

    # The check is a job (immediate in tests); the page shows its outcome, and again
    # when reloaded.
    response = client.post(reverse("backup_check", args=[entry.name]))
    assert response.status_code == 302 and response["Location"] == reverse("backup_list")
    for _ in range(2):
        page = client.get(reverse("backup_list")).content.decode()
        assert "passed every check" in page
        assert f"hanout restore {entry.name} --from {settings.HANOUT_BACKUP_DIR}" in page


def test_a_check_still_running_says_so_and_polls(client, operator):
    """While the worker has not finished, the page says what is being checked and asks
    for itself again every two seconds."""
    client.force_login(operator)
    client.post(reverse("backup_run"))
    [entry] = backups.backups_list()
    # A task id the worker has not answered yet.
    session = client.session
    session["backup_check"] = {"name": entry.name, "task": "not-finished", "outcome": None}
    session.save()
    page = client.get(reverse("backup_list")).content.decode()
    assert f"Checking {entry.name}" in page and 'hx-trigger="every 2s"' in page
    assert "passed every check" not in page and "hanout restore" not in page


def test_back_up_now_is_followed_on_the_page_until_the_backup_is_made(client, operator):
    """The job runs in the worker: the page says a backup is being made and asks for itself
    every two seconds (the list included) until it is in, then says so once."""
    client.force_login(operator)
    session = client.session
    session["backup_run"] = {"task": "not-finished"}
    session.save()
    page = client.get(reverse("backup_list")).content.decode()
    assert 'id="run-running"' in page and "A backup is being made" in page
    live = page.split('id="backup-live"', 1)[1].split(">", 1)[0]
    assert 'hx-trigger="every 2s"' in live and 'hx-select="#backup-live"' in live
    assert "No backup yet." in page

    # The job (immediate in tests) is done by the time the page is asked again.
    page = client.post(reverse("backup_run"), follow=True).content.decode()
    [entry] = backups.backups_list()
    assert 'id="run-done"' in page and f"The backup {entry.name} is made" in page
    assert 'id="run-running"' not in page
    assert 'hx-trigger="every 2s"' not in page.split('id="backup-live"', 1)[1].split(">", 1)[0]
    # Said once: the list shows it from then on.
    page = client.get(reverse("backup_list")).content.decode()
    assert 'id="run-done"' not in page and entry.name in page


def test_a_backup_job_that_failed_is_said_on_the_page(client, operator, monkeypatch):
    from hanout.sync.storage import StorageError

    def full(**kwargs):
        raise StorageError("No space left on the backup disk.")

    monkeypatch.setattr(backups, "backup_create", full)
    client.force_login(operator)
    page = client.post(reverse("backup_run"), follow=True).content.decode()
    failed = page.split('id="run-failed"', 1)[1].split("</div>", 1)[0]
    assert "The backup failed:" in failed
    assert '<span dir="ltr">No space left on the backup disk.</span>' in failed
    assert backups.backups_list() == []


def test_back_up_now_while_another_backup_runs_says_so(client, operator):
    """The scheduled backup holds the lock: a second one is refused, in the page's words."""
    from huey.contrib.djhuey import HUEY

    client.force_login(operator)
    with HUEY.lock_task("backup"):
        page = client.post(reverse("backup_run"), follow=True).content.decode()
    assert "Another backup is being made: try again when it is done." in page
    assert backups.backups_list() == []


def test_a_damaged_backup_is_reported_on_the_page(client, operator, tmp_path, settings):
    client.force_login(operator)
    client.post(reverse("backup_run"))
    [entry] = backups.backups_list()
    path = tmp_path / "backups" / entry.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    response = client.post(reverse("backup_check", args=[entry.name]), follow=True)
    page = response.content.decode()
    assert "cannot be restored" in page and "does not match its checksum" in page
    assert "hanout restore" not in page


def test_an_encrypted_backup_shows_its_row_counts_once_checked(client, operator, settings):
    """The file beside an encrypted backup keeps its row counts secret; the check, which
    has the key, shows them."""
    settings.HANOUT_BACKUP_KEY = "a long passphrase kept elsewhere"
    client.force_login(operator)
    page = client.post(reverse("backup_run"), follow=True).content.decode()
    [entry] = backups.backups_list()
    assert entry.encrypted and entry.manifest is None
    assert "Encrypted" in page and "inside the encrypted file" in page
    assert "core_business" not in page
    response = client.post(reverse("backup_check", args=[entry.name]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "passed every check" in page
    shown = page.split('id="check-ok"', 1)[1].split("</details>", 1)[0]
    assert "hanout restore" in shown  # the command first, the counts below it
    assert "backup-manifest" in shown and "stock_level" in shown, shown
