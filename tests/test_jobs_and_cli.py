"""Background email jobs, the health check, the `hanout` command and deploy checks."""

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.db import transaction

from hanout import cli, demo
from hanout.accounts.models import ApiToken, Membership, User
from hanout.core.models import Business


@pytest.mark.django_db
def test_email_is_delivered_by_a_job_after_commit(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Hello", "Your order is ready.", None, ["client@example.test"])
    assert len(smtp_server.messages) == 1
    msg = smtp_server.messages[0]
    assert msg["To"] == "client@example.test" and msg["Subject"] == "Hello"
    assert "Your order is ready." in smtp_server.bodies()[0]


@pytest.mark.django_db(transaction=True)
def test_email_of_a_rolled_back_transaction_is_never_sent(smtp_server):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        send_mail("Hello", "never", None, ["client@example.test"])
        raise Boom
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "jobs": "ok"},
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_job_queue_is_unreachable(client, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def broken():
        raise ConnectionError("queue down")

    monkeypatch.setattr(HUEY.storage, "queue_size", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["jobs"] == "error: ConnectionError"


@pytest.mark.django_db
def test_healthz_is_503_when_migrations_are_pending(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("fake", False)]
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 pending"


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_matches_the_readme():
    demo.load_demo()
    counts = (Business.objects.count(), User.objects.count(), Membership.objects.count())
    demo.load_demo()
    assert (Business.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    kaching = Business.objects.get(name="Boulangerie Kaching")
    assert (kaching.currency, kaching.default_language) == ("EUR", "fr")
    from hanout.core.models import Shop

    shop = Shop.objects.for_business(kaching).get()
    assert shop.time_zone == "Europe/Brussels"
    assert {(h.opens_at.hour, h.closes_at.hour, h.is_closed) for h in shop.opening_hours.all()} == {
        (6, 18, False)
    }
    codes = dict(
        Membership.objects.for_business(kaching).values_list("user__full_name", "employee_code")
    )
    assert codes == {"ADMIN": "1", "AYMAN": "2", "CLOTHIDE": "10", "Khadija": "14", "AWA": "27"}
    admin = Membership.objects.get(business=kaching, user__email="admin@kaching.example")
    assert admin.role == "owner" and admin.user.check_password(demo.DEMO_PASSWORD)
    from hanout.accounts.services import employee_check_pin

    assert all(
        employee_check_pin(membership=m, pin="1234")
        for m in Membership.objects.for_business(kaching)
    )
    alma = Business.objects.get(name="Alma7al")
    assert (alma.currency, alma.default_language) == ("MAD", "ar")


@pytest.mark.django_db
def test_token_create_prints_a_token_that_the_api_accepts(client):
    demo.load_demo()
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["token", "create", "admin@kaching.example", "--name", "stock script"]) == 0
    raw = out.getvalue().strip()
    assert raw.startswith("hnt_")
    token = ApiToken.objects.get(name="stock script")
    assert token.key_hash != raw and raw not in token.key_hash
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_token_create_for_an_unknown_person_fails_clearly(capsys):
    assert cli.main(["token", "create", "nobody@example.test"]) == 2
    assert "No active employee" in capsys.readouterr().err


def test_deploy_checks_are_clean_when_debug_is_off(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HANOUT_DATA_DIR": str(tmp_path),
        "HANOUT_ALLOWED_HOSTS": "shop.example",
        "DJANGO_SETTINGS_MODULE": "hanout.settings",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hanout.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_secret_key_is_generated_once_in_the_data_folder(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HANOUT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hanout.settings",
    }
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
    )
    second = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_security_headers_and_csp(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert json.loads(json.dumps(dict(response.headers)))  # headers are plain strings


def test_a_real_worker_process_delivers_queued_email(smtp_server, tmp_path):
    """`hanout worker` consumes the queue a separate process filled (SQLite storage,
    or Redis when REDIS_URL is set, as in the chain run of CI)."""
    import os
    import time

    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k in ("PATH", "DATABASE_URL", "REDIS_URL", "HOME")
        },
        "HANOUT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hanout.settings",
        "HANOUT_EMAIL_HOST": "127.0.0.1",
        "HANOUT_EMAIL_PORT": str(smtp_server_port(smtp_server)),
    }
    enqueue = (
        "import django; django.setup();"
        "from django.core.mail import send_mail;"
        "send_mail('From the queue', 'Delivered by the worker.', None, ['owner@example.test'])"
    )
    subprocess.run([sys.executable, "-c", enqueue], env=env, check=True, timeout=60)
    assert smtp_server.messages == []  # queued, not sent by the web process
    worker = subprocess.Popen([sys.executable, "-m", "hanout.cli", "worker", "--quiet"], env=env)
    try:
        deadline = time.monotonic() + 60
        while not smtp_server.messages and time.monotonic() < deadline:
            smtp_server.event.wait(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert [m["Subject"] for m in smtp_server.messages] == ["From the queue"]


def smtp_server_port(mailbox) -> int:
    from django.conf import settings

    return settings.EMAIL_PORT


def test_production_settings_hash_passwords_with_argon2():
    import hanout.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_hanout_serve_answers_over_http_and_stops_its_worker_on_sigterm(tmp_path):
    """The whole shop: `hanout serve` migrates, serves over uvicorn and starts a job
    worker; a service manager's SIGTERM must not leave the worker behind."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k in ("PATH", "DATABASE_URL", "REDIS_URL", "HOME")
        },
        "HANOUT_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hanout.settings",
    }
    env.pop("DATABASE_URL", None)  # its own SQLite file: the test database is not migrated for it
    out = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "hanout.cli", "serve", "--no-demo", "--port", str(port)],
        env=env,
        stdout=out,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240  # a first migrate on a busy machine is slow
        body = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                    body = json.loads(r.read())
                    break
            except OSError:
                time.sleep(0.5)
        assert body == {
            "status": "ok",
            "checks": {"database": "ok", "migrations": "ok", "jobs": "ok"},
        }
        # The first start says what it is doing before the banner (it was a silent minute).
        printed = (tmp_path / "serve.log").read_text()
        assert printed.startswith("Preparing the database (")
        assert f"Hanout is running on http://127.0.0.1:{port}/" in printed
        assert "No business yet" in printed
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) == 1, "serve should start exactly one worker"
        worker_pid = int(children[0])
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        for _ in range(40):
            try:
                os.kill(worker_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.25)
        else:
            os.kill(worker_pid, signal.SIGKILL)
            pytest.fail("the worker outlived the server")
    finally:
        if server.poll() is None:
            server.kill()
        out.close()


def test_the_pages_files_are_gathered_again_only_when_they_changed(settings, tmp_path, capsys):
    """`hanout serve` gathered and compressed every static file on every start (most of a
    minute); now only after an install or an upgrade changed them."""
    from hanout import cli

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "shop.css").write_text("body { color: teal }")
    settings.STATICFILES_DIRS = [*getattr(settings, "STATICFILES_DIRS", []), extra]
    settings.STATIC_ROOT = tmp_path / "static"

    assert cli.collect_static() is True
    assert "Preparing the pages' files" in capsys.readouterr().out
    assert (tmp_path / "static" / "shop.css").read_text() == "body { color: teal }"
    assert (tmp_path / "static" / "vendor").is_dir()
    # The next start: nothing to do, nothing said.
    assert cli.collect_static() is False
    assert capsys.readouterr().out == ""
    # An upgrade changes a file: gathered again.
    import os
    import time

    (extra / "shop.css").write_text("body { color: navy }")
    later = time.time() + 5  # collectstatic compares whole seconds
    os.utime(extra / "shop.css", (later, later))
    assert cli.collect_static() is True
    assert (tmp_path / "static" / "shop.css").read_text() == "body { color: navy }"
    assert cli.collect_static() is False
