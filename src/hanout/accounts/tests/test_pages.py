"""The staff pages and the profile, driven through Django's test client like a person would."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hanout.accounts import services
from hanout.accounts.models import (
    ApiToken,
    Membership,
    ModuleAccess,
    PermissionRequest,
    PermissionRequestStatus,
    User,
    WorkHistoryEntry,
    WorkHistoryKind,
)
from hanout.core.models import AuditEntry
from hanout.core.permissions import Level, Module, Role
from hanout.notifications.models import Notification
from tests.conftest import login
from tests.factories import make_member

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"hnt_[0-9a-f]{8}_[A-Za-z0-9_\-]+")
ROW_RE = re.compile(r'<a class="fw-semibold" href="/staff/[0-9a-f-]{36}/">')
MAX_LIST_QUERIES = 9  # session, user, membership (+ overrides), 2 counts, the page (+ overrides)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(membership) -> Client:
    return login(Client(), membership)


def fresh(membership) -> Membership:
    return (
        Membership.objects.select_related("user", "business")
        .prefetch_related("module_access")
        .get(pk=membership.pk)
    )


def new_employee_data(**overrides) -> dict:
    data = {
        "full_name": "Samira Haddad",
        "email": "samira@example.test",
        "role": Role.CASHIER,
        "job_title": "Morning cashier",
        "employee_code": "42",
        "pin": "4821",
        "phone": "",
        "hired_on": "2025-03-01",
    }
    return data | overrides


def edit_data(member, **overrides) -> dict:
    data = {
        "full_name": member.user.full_name,
        "role": member.role,
        "job_title": member.job_title,
        "employee_code": member.employee_code,
        "phone": member.user.phone,
        "hired_on": member.hired_on.isoformat() if member.hired_on else "",
    }
    return data | overrides


@pytest.fixture
def staff_reader(owner):
    """A staff-role employee whose staff module was set to read only."""
    member = make_member(owner, role=Role.STAFF, full_name="Reader Rita")
    services.module_access_set(
        actor_membership=owner, membership=member, levels={Module.STAFF: Level.READ}
    )
    return fresh(member)


# --- the owner manages the staff through the pages -----------------------------------------------


def test_owner_adds_an_employee_through_the_form(owner_client, owner):
    page = owner_client.get(reverse("staff_create"))
    assert page.status_code == 200
    assert 'value="owner"' in page.content.decode()  # owners may hand out the owner role

    response = owner_client.post(reverse("staff_create"), new_employee_data())

    member = Membership.objects.get(business=owner.business, user__email="samira@example.test")
    assert response.status_code == 302
    assert response.url == reverse("staff_detail", args=[member.pk])
    assert (
        member.role == Role.CASHIER
        and member.employee_code == "42"
        and member.job_title == "Morning cashier"
    )
    assert member.pin_hash and "4821" not in member.pin_hash
    assert str(member.hired_on) == "2025-03-01"
    detail = owner_client.get(response.url).content.decode()
    assert "Samira Haddad" in detail and "Morning cashier" in detail
    assert "Hired as Cashier" in detail  # the work history timeline


def test_owner_edits_an_employee_and_the_history_shows_it(owner_client, member_factory):
    member = member_factory(role=Role.CASHIER, full_name="Yassine B")
    url = reverse("staff_edit", args=[member.pk])
    assert owner_client.get(url).status_code == 200

    response = owner_client.post(
        url, edit_data(member, role=Role.STAFF, job_title="Shelf lead", full_name="Yassine Benali")
    )

    assert response.status_code == 302
    member = fresh(member)
    assert (
        member.role == Role.STAFF
        and member.job_title == "Shelf lead"
        and member.user.full_name == "Yassine Benali"
    )
    kinds = set(member.work_history.values_list("kind", flat=True))
    assert {WorkHistoryKind.ROLE_CHANGED, WorkHistoryKind.TITLE_CHANGED} <= kinds
    detail = owner_client.get(reverse("staff_detail", args=[member.pk])).content.decode()
    assert "Shelf lead" in detail and "Role changed from Cashier to Staff" in detail


def test_owner_deactivates_and_reactivates_an_employee(owner_client, member_factory):
    member = member_factory(role=Role.CASHIER)
    services.api_token_create(membership=member, name="script")
    detail = owner_client.get(reverse("staff_detail", args=[member.pk])).content.decode()
    assert reverse("staff_toggle_active", args=[member.pk]) in detail
    assert "data-confirm=" in detail

    response = owner_client.post(reverse("staff_toggle_active", args=[member.pk]), {"active": "0"})

    assert response.status_code == 302
    member = fresh(member)
    assert not member.is_active and member.deactivated_at is not None
    assert not ApiToken.objects.filter(membership=member, revoked_at__isnull=True).exists()
    inactive_list = owner_client.get(reverse("staff_list"), {"status": "inactive"}).content.decode()
    assert member.user.email in inactive_list

    owner_client.post(reverse("staff_toggle_active", args=[member.pk]), {"active": "1"})
    assert fresh(member).is_active


def test_owner_cannot_deactivate_themself_from_the_page(owner_client, owner):
    detail = owner_client.get(reverse("staff_detail", args=[owner.pk])).content.decode()
    assert "Deactivate" not in detail
    response = owner_client.post(reverse("staff_toggle_active", args=[owner.pk]), {"active": "0"})
    assert response.status_code == 409
    assert "You cannot deactivate yourself." in response.content.decode()
    assert fresh(owner).is_active


def test_owner_sets_access_pin_and_history_note(owner_client, member_factory):
    member = member_factory(role=Role.STAFF)
    access_url = reverse("staff_access", args=[member.pk])
    page = owner_client.get(access_url).content.decode()
    assert "Role default (Full access)" in page  # staff's default for the catalog

    levels = dict.fromkeys(Module.values, "") | {
        Module.REPORTS: Level.READ,
        Module.CATALOG: Level.NONE,
    }
    assert owner_client.post(access_url, levels).status_code == 302
    member = fresh(member)
    assert member.level(Module.REPORTS) == Level.READ and member.level(Module.CATALOG) == Level.NONE
    assert ModuleAccess.objects.filter(membership=member).count() == 2

    # Back to the role default removes the override.
    assert owner_client.post(access_url, levels | {Module.CATALOG: ""}).status_code == 302
    assert fresh(member).level(Module.CATALOG) == Level.FULL

    assert (
        owner_client.post(reverse("staff_pin", args=[member.pk]), {"pin": "91827"}).status_code
        == 302
    )
    assert services.employee_check_pin(membership=fresh(member), pin="91827")

    response = owner_client.post(
        reverse("staff_history_add", args=[member.pk]),
        {"happened_on": "2025-05-02", "title": "First aid course", "note": "Passed"},
    )
    assert response.status_code == 302
    assert member.work_history.filter(kind=WorkHistoryKind.NOTE, title="First aid course").exists()


def test_detail_shows_role_default_and_override_per_module(owner_client, member_factory, owner):
    member = member_factory(role=Role.CASHIER)
    services.module_access_set(
        actor_membership=owner, membership=member, levels={Module.STOCK: Level.READ}
    )
    page = owner_client.get(reverse("staff_detail", args=[member.pk])).content.decode()
    row = re.search(r"Stock</th>(.*?)</tr>", page, re.S).group(1)
    assert "No access" in row and "Read only" in row


# --- who may see and do what ---------------------------------------------------------------------


def test_cashier_gets_403_with_a_reason_on_the_staff_list(member_factory):
    cashier = member_factory(role=Role.CASHIER)
    response = client_for(cashier).get(reverse("staff_list"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You have no access to Staff" in body
    assert "?module=staff#request-access" in body


def test_reader_sees_list_and_detail_without_edit_buttons(staff_reader, member_factory):
    other = member_factory(role=Role.CASHIER, full_name="Other Omar")
    client = client_for(staff_reader)

    listing = client.get(reverse("staff_list"))
    detail = client.get(reverse("staff_detail", args=[other.pk]))

    assert listing.status_code == 200 and "Other Omar" in listing.content.decode()
    assert reverse("staff_create") not in listing.content.decode()
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Other Omar" in body
    for name in (
        "staff_edit",
        "staff_access",
        "staff_pin",
        "staff_toggle_active",
        "staff_history_add",
    ):
        assert reverse(name, args=[other.pk]) not in body
    assert 'name="happened_on"' not in body


def test_reader_gets_403_on_every_change(staff_reader, member_factory):
    other = member_factory(role=Role.CASHIER)
    client = client_for(staff_reader)
    before = AuditEntry.objects.count()
    posts = {
        reverse("staff_create"): new_employee_data(),
        reverse("staff_edit", args=[other.pk]): edit_data(other, job_title="Boss"),
        reverse("staff_access", args=[other.pk]): {Module.REPORTS: Level.FULL},
        reverse("staff_pin", args=[other.pk]): {"pin": "1234"},
        reverse("staff_toggle_active", args=[other.pk]): {"active": "0"},
        reverse("staff_history_add", args=[other.pk]): {"happened_on": "2025-01-01", "title": "x"},
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "read-only access to Staff" in response.content.decode()
    # The edit forms themselves need full access, even to look at.
    assert client.get(reverse("staff_edit", args=[other.pk])).status_code == 403
    assert AuditEntry.objects.count() == before
    assert fresh(other).is_active


def test_manager_is_not_offered_the_owner_role_and_cannot_touch_an_owner(owner, member_factory):
    manager = member_factory(role=Role.MANAGER)
    client = client_for(manager)
    page = client.get(reverse("staff_create")).content.decode()
    assert 'value="manager"' in page and 'value="owner"' not in page

    response = client.post(reverse("staff_create"), new_employee_data(role=Role.OWNER))
    assert response.status_code == 400
    assert not User.objects.filter(email="samira@example.test").exists()

    detail = client.get(reverse("staff_detail", args=[owner.pk])).content.decode()
    assert reverse("staff_edit", args=[owner.pk]) not in detail
    assert client.get(reverse("staff_edit", args=[owner.pk])).status_code == 403
    assert (
        client.post(reverse("staff_toggle_active", args=[owner.pk]), {"active": "0"}).status_code
        == 403
    )
    assert fresh(owner).is_active


def test_another_business_is_404_on_every_staff_route(owner_client, other_owner):
    foreign = make_member(other_owner, role=Role.CASHIER)
    services.api_token_create(membership=foreign, name="theirs")
    foreign_token = ApiToken.objects.get(membership=foreign)
    foreign_request = services.permission_request_create(
        membership=foreign, module=Module.REPORTS, level=Level.READ
    )
    pk = foreign.pk
    gets = ["staff_detail", "staff_edit", "staff_access", "staff_pin"]
    posts = {
        "staff_edit": edit_data(foreign, job_title="hijacked"),
        "staff_access": {Module.REPORTS: Level.FULL},
        "staff_pin": {"pin": "1234"},
        "staff_toggle_active": {"active": "0"},
        "staff_history_add": {"happened_on": "2025-01-01", "title": "x"},
    }
    for name in gets:
        assert owner_client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, data in posts.items():
        assert owner_client.post(reverse(name, args=[pk]), data).status_code == 404, name
    assert (
        owner_client.post(
            reverse("permission_request_decide", args=[foreign_request.pk]), {"decision": "accept"}
        ).status_code
        == 404
    )
    assert owner_client.post(reverse("token_revoke", args=[foreign_token.pk])).status_code == 404
    foreign = fresh(foreign)
    assert foreign.is_active and foreign.job_title == "" and not foreign.has_pin
    assert (
        PermissionRequest.objects.get(pk=foreign_request.pk).status
        == PermissionRequestStatus.PENDING
    )
    assert ApiToken.objects.get(pk=foreign_token.pk).revoked_at is None
    assert "theirs" not in owner_client.get(reverse("profile")).content.decode()


def test_list_only_shows_this_business(owner_client, other_owner, member_factory):
    member_factory(full_name="Our Olga")
    make_member(other_owner, full_name="Their Theo")
    body = owner_client.get(reverse("staff_list")).content.decode()
    assert "Our Olga" in body and "Their Theo" not in body


# --- the list: search, filters, htmx, pagination, query count ------------------------------------


def test_search_by_name_email_or_code_and_filters(owner_client, member_factory):
    member_factory(role=Role.CASHIER, full_name="Nadia Cashier", code="77")
    member_factory(role=Role.STAFF, full_name="Karim Stock", email="karim@shop.test")
    gone = member_factory(role=Role.STAFF, full_name="Gone Ghita")
    owner_client.post(reverse("staff_toggle_active", args=[gone.pk]), {"active": "0"})

    def names(**params):
        return owner_client.get(reverse("staff_list"), params).content.decode()

    assert "Nadia Cashier" in names(q="nadia") and "Karim Stock" not in names(q="nadia")
    assert "Karim Stock" in names(q="karim@shop") and "Nadia" not in names(q="karim@shop")
    assert "Nadia Cashier" in names(q="77") and "Karim" not in names(q="77")
    assert "Karim Stock" in names(role=Role.STAFF) and "Nadia" not in names(role=Role.STAFF)
    assert "Gone Ghita" in names(status="inactive") and "Karim" not in names(status="inactive")
    assert "Gone Ghita" not in names(status="active")


def test_htmx_search_returns_only_the_rows(owner_client, member_factory):
    member_factory(full_name="Nadia Rows")
    full = owner_client.get(reverse("staff_list")).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in full and "<html" in full

    partial = owner_client.get(
        reverse("staff_list"), {"q": "nadia"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "<html" not in partial and '<nav class="navbar' not in partial
    assert "Nadia Rows" in partial and "<tbody>" in partial


def test_list_shows_role_title_code_status_and_pin(owner_client, member_factory):
    member_factory(
        role=Role.CASHIER, full_name="Pin Paula", code="31", pin="1234", job_title="Till"
    )
    body = owner_client.get(reverse("staff_list"), {"q": "31"}).content.decode()
    assert "Cashier" in body and "Till" in body and "#31" in body and "Active" in body
    assert "Not set" not in body  # Paula has a PIN


def test_list_is_paginated_by_fifty(owner_client, owner):
    for n in range(55):
        make_member(owner, full_name=f"Worker {n:02d}")
    first = owner_client.get(reverse("staff_list")).content.decode()
    second = owner_client.get(reverse("staff_list"), {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert len(ROW_RE.findall(first)) == 50
    assert len(ROW_RE.findall(second)) == 6  # 55 workers + the owner


def _add_people(owner, start, stop):
    for n in range(start, stop):
        member = make_member(
            owner,
            role=Role.STAFF,
            full_name=f"Person {n}",
            code=str(100 + n),
            pin="1234" if n % 3 else "",
        )
        if n % 2:
            services.module_access_set(
                actor_membership=owner, membership=member, levels={Module.REPORTS: Level.READ}
            )


def test_list_query_count_stays_flat_with_5_or_30_people(
    owner_client, owner, django_assert_max_num_queries
):
    counts = []
    owner_client.get(reverse("staff_list"))  # warm the per-process caches (the time zone)
    for start, stop in ((0, 5), (5, 30)):
        _add_people(owner, start, stop)
        with (
            CaptureQueriesContext(connection) as full,
            django_assert_max_num_queries(MAX_LIST_QUERIES),
        ):
            response = owner_client.get(reverse("staff_list"))
        assert response.status_code == 200 and f"Person {stop - 1}" in response.content.decode()
        with (
            CaptureQueriesContext(connection) as partial,
            django_assert_max_num_queries(MAX_LIST_QUERIES),
        ):
            owner_client.get(reverse("staff_list"), {"q": "Person"}, HTTP_HX_REQUEST="true")
        counts.append((len(full), len(partial)))
    assert counts[0] == counts[1]


# --- bad input is refused beside the field and nothing is written --------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "This field is required."),
        ({"full_name": "x" * 300}, "full_name", "at most 150 characters"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"pin": "123"}, "pin", "4 to 6 digits."),
        ({"pin": "12ab"}, "pin", "4 to 6 digits."),
        ({"employee_code": "1"}, "employee_code", "Already used."),  # the owner has code 1
        ({"employee_code": "A12"}, "employee_code", "1 to 8 digits."),
        ({"role": "emperor"}, "role", "Select a valid choice."),
    ],
)
def test_bad_employee_input_is_a_400_with_the_field_error(owner_client, overrides, field, message):
    audit_before = AuditEntry.objects.count()
    users_before = User.objects.count()

    response = owner_client.post(reverse("staff_create"), new_employee_data(**overrides))

    assert response.status_code == 400
    body = response.content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', body, re.S)
    assert error, f"no error beside {field}"
    assert message in error.group(1)
    assert 'aria-invalid="true"' in body
    assert User.objects.count() == users_before
    assert AuditEntry.objects.count() == audit_before


def test_duplicate_email_of_an_existing_employee_is_refused(owner_client, member_factory):
    member = member_factory()
    response = owner_client.post(
        reverse("staff_create"), new_employee_data(email=member.user.email)
    )
    assert response.status_code == 409
    assert "Already an employee of this business." in response.content.decode()


def test_script_in_job_title_is_escaped_on_output(owner_client, owner):
    response = owner_client.post(
        reverse("staff_create"), new_employee_data(job_title="<script>alert(1)</script>")
    )
    assert response.status_code == 302
    member = Membership.objects.get(business=owner.business, user__email="samira@example.test")
    for url in (reverse("staff_detail", args=[member.pk]), reverse("staff_list")):
        body = owner_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_bad_edit_and_pin_input_is_refused(owner_client, member_factory):
    member = member_factory(role=Role.CASHIER, code="55")
    member_factory(code="56")
    response = owner_client.post(
        reverse("staff_edit", args=[member.pk]), edit_data(member, employee_code="56")
    )
    assert response.status_code == 400 and "Already used." in response.content.decode()
    response = owner_client.post(
        reverse("staff_edit", args=[member.pk]), edit_data(member, full_name="")
    )
    assert response.status_code == 400
    response = owner_client.post(reverse("staff_pin", args=[member.pk]), {"pin": "123"})
    assert response.status_code == 400 and "4 to 6 digits." in response.content.decode()
    member = fresh(member)
    assert member.employee_code == "55" and not member.has_pin
    response = owner_client.post(
        reverse("staff_history_add", args=[member.pk]), {"happened_on": "", "title": ""}
    )
    assert response.status_code == 400
    assert not member.work_history.filter(kind=WorkHistoryKind.NOTE).exists()


# --- permission requests round trip --------------------------------------------------------------


def test_permission_request_accepted_through_the_pages(owner, member_factory):
    employee = member_factory(role=Role.STAFF, full_name="Eve Employee")
    manager = member_factory(role=Role.MANAGER, full_name="Max Manager")
    eve, max_ = client_for(employee), client_for(manager)

    form_page = eve.get(reverse("profile"), {"module": Module.REPORTS}).content.decode()
    assert 'id="request-access"' in form_page
    assert re.search(r'<option value="reports" selected>', form_page)
    response = eve.post(
        reverse("permission_request_create"),
        {"module": Module.REPORTS, "level": Level.READ, "reason": "Weekly sales review"},
    )
    assert response.status_code == 302
    req = PermissionRequest.objects.get(membership=employee)
    assert req.status == PermissionRequestStatus.PENDING
    assert Notification.objects.filter(
        recipient=manager.user, kind="permission_request.created"
    ).exists()

    again = eve.post(
        reverse("permission_request_create"), {"module": Module.REPORTS, "level": Level.READ}
    )
    assert again.status_code == 409 and "already have a pending request" in again.content.decode()

    listing = max_.get(reverse("permission_requests")).content.decode()
    assert "Eve Employee" in listing and "Weekly sales review" in listing
    response = max_.post(
        reverse("permission_request_decide", args=[req.pk]),
        {"decision": "accept", "note": "OK for Mondays"},
    )
    assert response.status_code == 302

    req.refresh_from_db()
    assert req.status == PermissionRequestStatus.ACCEPTED and req.decided_by == manager.user
    assert fresh(employee).level(Module.REPORTS) == Level.READ
    note = Notification.objects.get(recipient=employee.user, kind="permission_request.decided")
    assert "accepted" in note.title
    profile = eve.get(reverse("profile")).content.decode()
    assert "Accepted" in profile and "OK for Mondays" in profile

    twice = max_.post(reverse("permission_request_decide", args=[req.pk]), {"decision": "reject"})
    assert twice.status_code == 409 and "already accepted" in twice.content.decode()


def test_permission_request_rejected_through_the_pages(member_factory):
    employee = member_factory(role=Role.CASHIER)
    manager = member_factory(role=Role.MANAGER)
    client_for(employee).post(
        reverse("permission_request_create"), {"module": Module.STOCK, "level": Level.FULL}
    )
    req = PermissionRequest.objects.get(membership=employee)

    response = client_for(manager).post(
        reverse("permission_request_decide", args=[req.pk]),
        {"decision": "reject", "note": "Not now"},
    )

    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == PermissionRequestStatus.REJECTED and req.decision_note == "Not now"
    assert fresh(employee).level(Module.STOCK) == Level.NONE
    assert (
        "rejected"
        in Notification.objects.get(
            recipient=employee.user, kind="permission_request.decided"
        ).title
    )


def test_pending_requests_come_first_and_readers_cannot_decide(owner, staff_reader, member_factory):
    first = member_factory(role=Role.CASHIER, full_name="Early Ed")
    second = member_factory(role=Role.CASHIER, full_name="Late Lou")
    old = services.permission_request_create(
        membership=first, module=Module.STOCK, level=Level.READ
    )
    services.permission_request_decide(actor_membership=owner, request=old, accept=False)
    pending = services.permission_request_create(
        membership=second, module=Module.STOCK, level=Level.READ
    )
    client = client_for(staff_reader)

    page = client.get(reverse("permission_requests")).content.decode()

    assert page.index("Late Lou") < page.index("Early Ed")
    assert reverse("permission_request_decide", args=[pending.pk]) not in page
    assert (
        client.post(
            reverse("permission_request_decide", args=[pending.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )


def test_bad_permission_request_is_a_400(member_factory):
    employee = member_factory(role=Role.CASHIER)
    response = client_for(employee).post(
        reverse("permission_request_create"), {"module": "nukes", "level": Level.READ}
    )
    assert response.status_code == 400
    response = client_for(employee).post(
        reverse("permission_request_create"), {"module": Module.REGISTER, "level": Level.FULL}
    )
    assert response.status_code == 400  # cashiers already have full register access
    assert not PermissionRequest.objects.exists()


# --- the profile: levels, tokens -----------------------------------------------------------------


def test_profile_shows_levels_and_account_links(member_factory):
    cashier = member_factory(role=Role.CASHIER, job_title="Evening till")
    body = client_for(cashier).get(reverse("profile")).content.decode()
    assert "Evening till" in body and "Cashier" in body
    assert reverse("mfa_index") in body and reverse("account_change_password") in body
    row = re.search(r"Register</th>(.*?)</tr>", body, re.S).group(1)
    assert "Full access" in row


def test_token_is_shown_once_and_only_its_hash_is_kept(member_factory):
    member = member_factory(role=Role.STAFF)
    client = client_for(member)

    response = client.post(reverse("token_create"), {"name": "stock script"})
    assert response.status_code == 302
    first = client.get(reverse("profile")).content.decode()
    second = client.get(reverse("profile")).content.decode()

    raw = TOKEN_RE.search(first).group(0)
    assert not TOKEN_RE.search(second)
    token = ApiToken.objects.get(membership=member)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest() and token.key_hash != raw
    assert raw.startswith(f"hnt_{token.prefix}_")
    assert f"{token.prefix}…" in second and "stock script" in second
    assert raw not in str(client.session.items())

    api = Client()
    assert api.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 200


def test_token_without_a_name_is_a_400(member_factory):
    member = member_factory()
    response = client_for(member).post(reverse("token_create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_a_token(member_factory):
    member = member_factory()
    token, raw = services.api_token_create(membership=member, name="old")
    client = client_for(member)

    response = client.post(reverse("token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get(reverse("profile")).content.decode()
    assert Client().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {raw}").status_code in (401, 403)


def test_someone_elses_token_cannot_be_revoked_from_the_profile(owner_client, member_factory):
    member = member_factory()
    token, _ = services.api_token_create(membership=member, name="mine")
    assert owner_client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_create_and_revoke_are_post_only(owner_client, owner):
    assert owner_client.get(reverse("token_create")).status_code == 405
    token, _ = services.api_token_create(membership=owner, name="x")
    assert owner_client.get(reverse("token_revoke", args=[token.pk])).status_code == 405


# --- identity documents --------------------------------------------------------------------------


@pytest.fixture
def manager_with_document(owner, member_factory, settings):
    manager = member_factory(role=Role.MANAGER, full_name="Doc Manager")
    upload = SimpleUploadedFile("passport scan.pdf", PDF, content_type="application/pdf")
    doc = services.identity_document_attach(
        business=owner.business,
        user=manager.user,
        upload=upload,
        max_bytes=settings.IDENTITY_DOCUMENT_MAX_BYTES,
    )
    return manager, doc


def test_owner_downloads_an_identity_document(owner_client, manager_with_document):
    manager, doc = manager_with_document
    detail = owner_client.get(reverse("staff_detail", args=[manager.pk])).content.decode()
    assert reverse("identity_document", args=[doc.pk]) in detail and "passport scan.pdf" in detail

    response = owner_client.get(reverse("identity_document", args=[doc.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        "attachment" in response["Content-Disposition"]
        and "passport scan.pdf" in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == PDF


def test_identity_document_is_404_for_anyone_but_owners(
    manager_with_document, member_factory, other_owner
):
    manager, doc = manager_with_document
    url = reverse("identity_document", args=[doc.pk])
    for who in (
        manager,
        member_factory(role=Role.MANAGER),
        member_factory(role=Role.CASHIER),
        other_owner,
    ):
        assert client_for(who).get(url).status_code == 404
    detail = client_for(member_factory(role=Role.MANAGER)).get(
        reverse("staff_detail", args=[manager.pk])
    )
    assert (
        url not in detail.content.decode() and "Identity documents" not in detail.content.decode()
    )
    assert Client().get(url).status_code == 302  # anonymous: to the sign-in page


def test_anonymous_visitors_are_sent_to_sign_in():
    for name in ("staff_list", "profile", "permission_requests", "staff_create"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_work_history_written_on_hire_is_visible(owner_client, owner):
    owner_client.post(reverse("staff_create"), new_employee_data())
    member = Membership.objects.get(business=owner.business, user__email="samira@example.test")
    assert (
        WorkHistoryEntry.objects.filter(membership=member, kind=WorkHistoryKind.HIRED).count() == 1
    )
