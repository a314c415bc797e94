"""The "Hub sync" page (Settings): this store's hub, and the stores that send to this hub.

One page serves both sides, since the same Hanout is a store, a hub or both: the top
says where this store sends its records (link form, last success, what waits, the last
problem in words, Sync now); below, the stores linked to this business here, with a
one-time pairing code for a new one and Revoke. Reading needs `read` on Settings;
every button needs `full` (owners by default).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Module
from hanout.sync import selectors, services
from hanout.sync.models import StoreLink

CODE_KEY = "sync-new-code"  # the session slot that shows a new pairing code once
RUN_KEY = "sync-run"  # the last "Sync now" of this session: {task}


class HubLinkForm(forms.Form):
    hub_url = forms.CharField(
        label=gettext_lazy("Hub address"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "https://", "dir": "ltr"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Pairing code"),
        max_length=40,
        help_text=gettext_lazy("Made on the hub, in Settings › Hub sync, by its owner."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class StoreLinkForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Store name"), max_length=120)


def _run_state(request) -> dict | None:
    from huey.contrib.djhuey import HUEY
    from huey.exceptions import TaskException

    asked = request.session.get(RUN_KEY)
    if not asked:
        return None
    try:
        outcome = HUEY.result(asked["task"])
    except TaskException as exc:
        outcome = {"problem": str(exc)}
    if outcome is None:
        return {"running": True}
    del request.session[RUN_KEY]
    return outcome


def _page(request, *, link_form=None, store_form=None, status=200):
    business = request.business
    hub = selectors.hub_link_for(business=business)
    new_code = request.session.pop(CODE_KEY, None)
    context = {
        "hub": hub,
        "waiting": selectors.waiting_count(business=business, link=hub) if hub else 0,
        "link_form": link_form or HubLinkForm(),
        "store_form": store_form or StoreLinkForm(),
        "stores": selectors.store_link_list(business=business),
        "conflicts": selectors.conflict_list(business=business).count(),
        "new_code": new_code,
        "hub_address": request.build_absolute_uri("/").rstrip("/"),
        "run": _run_state(request),
    }
    return render(request, "sync/sync.html", context, status=status)


@member_required(Module.SETTINGS)
def sync_status(request):
    return _page(request)


@require_POST
@member_required(Module.SETTINGS)
def hub_link(request):
    form = HubLinkForm(request.POST)
    if form.is_valid():
        try:
            services.hub_link(
                business=request.business,
                hub_url=form.cleaned_data["hub_url"],
                code=form.cleaned_data["code"],
                actor=request.user,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("This store is linked. Its records are on their way to the hub.")
            )
            _start_sync(request)
            return redirect("sync_status")
    return _page(request, link_form=form, status=400)


@require_POST
@member_required(Module.SETTINGS)
def hub_unlink(request):
    services.hub_unlink(business=request.business, actor=request.user)
    messages.success(request, _("This store no longer sends its records to the hub."))
    return redirect("sync_status")


def _start_sync(request) -> None:
    from hanout.sync.tasks import sync_now as task

    result = task(str(request.business.pk), translation.get_language() or "")
    request.session[RUN_KEY] = {"task": result.id}


@require_POST
@member_required(Module.SETTINGS)
def sync_now(request):
    if selectors.hub_link_for(business=request.business) is None:
        raise Http404
    _start_sync(request)
    return redirect("sync_status")


@require_POST
@member_required(Module.SETTINGS)
def store_new(request):
    form = StoreLinkForm(request.POST)
    if form.is_valid():
        try:
            link, code = services.store_link_create(
                business=request.business, name=form.cleaned_data["name"], actor=request.user
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            request.session[CODE_KEY] = {"name": link.name, "code": code}
            return redirect(f"{_url('sync_status')}#stores")
    return _page(request, store_form=form, status=400)


@require_POST
@member_required(Module.SETTINGS)
def store_revoke(request, pk):
    try:
        link = selectors.store_link_list(business=request.business).get(pk=pk)
    except StoreLink.DoesNotExist as exc:
        raise Http404 from exc
    services.store_link_revoke(link=link, actor=request.user)
    messages.success(request, _("%(store)s can no longer send to this hub.") % {"store": link.name})
    return redirect(f"{_url('sync_status')}#stores")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@member_required(Module.SETTINGS)
def conflicts(request):
    """Settings › Hub sync › Conflicts: the same field changed on a store and here."""
    business = request.business
    rows = [
        (c, selectors.conflict_shown(c)) for c in selectors.conflict_list(business=business)[:200]
    ]
    settled = [
        (c, selectors.conflict_shown(c))
        for c in selectors.conflict_list(business=business, settled=True)[:20]
    ]
    return render(request, "sync/conflicts.html", {"rows": rows, "settled": settled})


@require_POST
@member_required(Module.SETTINGS)
def conflict_settle(request, pk):
    from hanout.sync.models import SyncConflict

    conflict = SyncConflict.objects.for_business(request.business).filter(pk=pk).first()
    if conflict is None:
        raise Http404
    try:
        services.conflict_settle(
            conflict=conflict, keep=request.POST.get("keep", ""), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Settled. The stores get the kept value on their next sync."))
    return redirect("sync_conflicts")
