"""Staff pages (list, profile, access, PIN, history, permission requests) and the
signed-in person's own profile (levels, access requests, API tokens).

Thin on purpose: each POST validates a form, calls one service and shows the
service's DomainError beside the field it names. Every object is looked up
through a selector scoped to request.business, so another business's id is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.accounts import selectors, services
from hanout.accounts.forms import (
    ApiTokenForm,
    EmployeeCreateForm,
    EmployeeEditForm,
    ModuleAccessForm,
    PermissionDecisionForm,
    PermissionRequestForm,
    PinForm,
    StaffFilterForm,
    WorkHistoryForm,
)
from hanout.accounts.models import (
    ApiToken,
    IdentityDocument,
    Membership,
    PermissionRequest,
    PermissionRequestStatus,
)
from hanout.core import clock
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, forbidden, member_required
from hanout.core.permissions import ROLE_DEFAULTS, Level, Module, Role

STAFF_PAGE_SIZE = 50
NEW_TOKEN_SESSION_KEY = "hanout_new_api_token"


# --- helpers ---------------------------------------------------------------------------------


def _member_or_404(request, pk) -> Membership:
    try:
        return selectors.member_get(business=request.business, pk=pk)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def _may_change(actor: Membership, target: Membership) -> bool:
    """Whether the page offers changes: staff full, and only owners touch an owner."""
    return actor.can_edit(Module.STAFF) and (target.role != Role.OWNER or actor.role == Role.OWNER)


def _owner_only(request):
    """The 403 a manager sees when trying to change an owner (the service refuses too)."""
    return forbidden(
        request, _("Only an owner can make someone an owner or change an owner."), module=None
    )


def level_rows(membership: Membership) -> list[dict]:
    """Per module: the role's default, the person's override (if any) and the result."""
    overrides = (
        {}
        if membership.role == Role.OWNER
        else {a.module: a.level for a in membership.module_access.all()}
    )
    defaults = ROLE_DEFAULTS[membership.role]
    return [
        {
            "module": module.value,
            "label": module.label,
            "default": Level(defaults[module.value]),
            "override": Level(overrides[module.value]) if module.value in overrides else None,
            "effective": Level(membership.levels[module.value]),
        }
        for module in Module
    ]


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- staff list and create ---------------------------------------------------------------------


@member_required(Module.STAFF)
def staff_list(request):
    form = StaffFilterForm(request.GET or None)
    members = selectors.member_list(business=request.business, **form.filters())
    page = Paginator(members, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "accounts/staff_list.html#rows" if request.htmx else "accounts/staff_list.html"
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "pending_count": selectors.pending_request_count(business=request.business)
        if request.can_edit
        else 0,
    }
    return render(request, template, context)


@member_required(Module.STAFF, level=Level.FULL)
def staff_create(request):
    actor = request.membership
    form = EmployeeCreateForm(
        request.POST or None, actor_role=actor.role, initial={"role": Role.CASHIER}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = services.employee_create(
                    actor_membership=actor,
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    job_title=data["job_title"],
                    employee_code=data["employee_code"],
                    pin=data["pin"],
                    phone=data["phone"],
                    hired_on=data["hired_on"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("%(name)s was added to the staff.") % {"name": member.user}
                )
                return redirect("staff_detail", pk=member.pk)
    return render(
        request, "accounts/staff_form.html", {"form": form, "member": None}, status=status
    )


# --- one employee --------------------------------------------------------------------------------


def _detail_context(request, member: Membership, history_form=None) -> dict:
    actor = request.membership
    is_owner = actor.role == Role.OWNER
    may_change = _may_change(actor, member)
    return {
        "member": member,
        "history": list(member.work_history.all()),
        "levels": level_rows(member),
        "documents": list(
            selectors.identity_document_list(business=request.business, user=member.user)
        )
        if is_owner
        else [],
        "show_documents": is_owner,
        "may_change": may_change,
        "is_self": member.pk == actor.pk,
        "history_form": history_form
        or (WorkHistoryForm(initial={"happened_on": clock.now().date()}) if may_change else None),
    }


@member_required(Module.STAFF)
def staff_detail(request, pk):
    member = _member_or_404(request, pk)
    return render(request, "accounts/staff_detail.html", _detail_context(request, member))


@member_required(Module.STAFF, level=Level.FULL)
def staff_edit(request, pk):
    actor = request.membership
    member = _member_or_404(request, pk)
    if not _may_change(actor, member):
        return _owner_only(request)
    initial = {
        "full_name": member.user.full_name,
        "role": member.role,
        "job_title": member.job_title,
        "employee_code": member.employee_code,
        "phone": member.user.phone,
        "hired_on": member.hired_on,
    }
    form = EmployeeEditForm(request.POST or None, actor_role=actor.role, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.employee_update(
                    actor_membership=actor, membership=member, data=form.cleaned_data
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("%(name)s's profile was saved.") % {"name": member.user}
                )
                return redirect("staff_detail", pk=member.pk)
    return render(
        request, "accounts/staff_form.html", {"form": form, "member": member}, status=status
    )


@member_required(Module.STAFF, level=Level.FULL)
def staff_access(request, pk):
    actor = request.membership
    member = _member_or_404(request, pk)
    if not _may_change(actor, member):
        return _owner_only(request)
    form = ModuleAccessForm(request.POST or None, membership=member)
    status = 200
    if request.method == "POST" and member.role != Role.OWNER:
        status = 400
        if form.is_valid():
            try:
                services.module_access_set(
                    actor_membership=actor, membership=member, levels=form.levels()
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("Access for %(name)s was saved.") % {"name": member.user}
                )
                return redirect("staff_detail", pk=member.pk)
    rows = [{"field": form[row["module"]], **row} for row in level_rows(member)]
    return render(
        request,
        "accounts/staff_access.html",
        {"form": form, "member": member, "rows": rows},
        status=status,
    )


@member_required(Module.STAFF, level=Level.FULL)
def staff_pin(request, pk):
    actor = request.membership
    member = _member_or_404(request, pk)
    if not _may_change(actor, member):
        return _owner_only(request)
    form = PinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.employee_set_pin(
                    actor_membership=actor, membership=member, pin=form.cleaned_data["pin"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("The register PIN of %(name)s was set.") % {"name": member.user}
                )
                return redirect("staff_detail", pk=member.pk)
    return render(
        request, "accounts/staff_pin.html", {"form": form, "member": member}, status=status
    )


@require_POST
@member_required(Module.STAFF)
def staff_toggle_active(request, pk):
    member = _member_or_404(request, pk)
    wanted = request.POST.get("active")
    active = (wanted == "1") if wanted in ("0", "1") else not member.is_active
    try:
        services.employee_set_active(
            actor_membership=request.membership,
            membership=member,
            active=active,
            note=request.POST.get("note", "")[:2000],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return render(
            request,
            "accounts/staff_detail.html",
            _detail_context(request, member),
            status=exc.status,
        )
    if active:
        messages.success(request, _("%(name)s was reactivated.") % {"name": member.user})
    else:
        messages.success(
            request,
            _("%(name)s was deactivated; their API tokens were revoked.") % {"name": member.user},
        )
    return redirect("staff_detail", pk=member.pk)


@require_POST
@member_required(Module.STAFF)
def staff_history_add(request, pk):
    member = _member_or_404(request, pk)
    form = WorkHistoryForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.work_history_add(
                actor_membership=request.membership,
                membership=member,
                happened_on=data["happened_on"],
                title=data["title"],
                note=data["note"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The note was added to the work history."))
            return redirect("staff_detail", pk=member.pk)
    return render(
        request,
        "accounts/staff_detail.html",
        _detail_context(request, member, history_form=form),
        status=status,
    )


@member_required()
def identity_document(request, pk):
    """Owners download a manager's identity document; for anyone else it does not exist."""
    if request.membership.role != Role.OWNER:
        raise Http404
    try:
        doc = selectors.identity_document_list(business=request.business).get(pk=pk)
    except IdentityDocument.DoesNotExist as exc:
        raise Http404 from exc
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- permission requests -------------------------------------------------------------------------


def _requests_context(request, decision_form=None) -> dict:
    requests = selectors.permission_request_list(business=request.business).order_by(
        Case(
            When(status=PermissionRequestStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "-created_at",
        "-id",
    )
    page = Paginator(requests, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "decision_form": decision_form}


@member_required(Module.STAFF)
def permission_requests(request):
    return render(request, "accounts/permission_requests.html", _requests_context(request))


@require_POST
@member_required(Module.STAFF)
def permission_request_decide(request, pk):
    try:
        req = selectors.permission_request_list(business=request.business).get(pk=pk)
    except PermissionRequest.DoesNotExist as exc:
        raise Http404 from exc
    form = PermissionDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.permission_request_decide(
                actor_membership=request.membership,
                request=req,
                accept=accept,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            labels = {"name": req.membership.user, "module": Module(req.module).label}
            messages.success(
                request,
                (
                    _("Accepted: %(name)s now has this access to %(module)s.")
                    if accept
                    else _("Rejected the request of %(name)s for %(module)s.")
                )
                % labels,
            )
            return redirect("permission_requests")
    else:
        status = 400
    return render(
        request,
        "accounts/permission_requests.html",
        _requests_context(request, decision_form=form),
        status=status,
    )


# --- my profile ---------------------------------------------------------------------------------


def _profile_context(request, request_form=None, token_form=None) -> dict:
    me = request.membership
    wanted = request.GET.get("module", "")
    if request_form is None:
        request_form = PermissionRequestForm(
            membership=me, initial={"module": wanted} if wanted in Module.values else {}
        )
    my_requests = list(selectors.permission_request_list(business=request.business, membership=me))
    return {
        "me": me,
        "levels": level_rows(me),
        "request_form": request_form,
        "my_requests": my_requests,
        "pending_modules": {
            r.module for r in my_requests if r.status == PermissionRequestStatus.PENDING
        },
        "tokens": list(selectors.token_list(membership=me)),
        "token_form": token_form or ApiTokenForm(),
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
        "everything_full": all(me.level(m) == Level.FULL for m in Module.values),
    }


@member_required()
def profile(request):
    return render(request, "accounts/profile.html", _profile_context(request))


@require_POST
@member_required()
def permission_request_create(request):
    me = request.membership
    form = PermissionRequestForm(request.POST, membership=me)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.permission_request_create(
                membership=me, module=data["module"], level=data["level"], reason=data["reason"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Your request was sent to the managers."))
            return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        _profile_context(request, request_form=form),
        status=status,
    )


@require_POST
@member_required()
def token_create(request):
    form = ApiTokenForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            _token, raw = services.api_token_create(
                membership=request.membership, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = exc.status
        else:
            # Kept in the session only until the next page shows it, once.
            request.session[NEW_TOKEN_SESSION_KEY] = raw
            return redirect("profile")
    return render(
        request, "accounts/profile.html", _profile_context(request, token_form=form), status=status
    )


@require_POST
@member_required()
def token_revoke(request, pk):
    try:
        token = selectors.token_list(membership=request.membership).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    try:
        services.api_token_revoke(membership=request.membership, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("profile")
