"""Page access, checked like the API: one decorator reads the same table.

A page names its module; reading needs `read`, any POST needs `full`. A person
without access gets a 403 page that says what is missing and how to ask for it.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from hanout.core.errors import DomainError
from hanout.core.permissions import Level, denial_message


def member_required(module: str | None = None, level: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None:
                return redirect("no_business")
            shown_for = request.POST.get("_business") if request.method == "POST" else None
            if shown_for and shown_for != str(membership.business_id):
                return render(request, "core/stale_business.html", status=409)
            if module is not None:
                needed = level or (Level.READ if request.method in ("GET", "HEAD") else Level.FULL)
                if not membership.allows(module, needed):
                    return forbidden(
                        request, denial_message(module, membership.level(module)), module=module
                    )
                request.can_edit = membership.can_edit(module)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def forbidden(request, message: str, module: str | None = None):
    return render(
        request, "core/forbidden.html", {"message": message, "module": module}, status=403
    )


def apply_domain_error(form, exc: DomainError) -> None:
    """Show a service's error beside the field it names, or at the top of the form."""
    placed = False
    for field, messages in exc.fields.items():
        name = field if field in form.fields else None
        for msg in messages if isinstance(messages, list) else [messages]:
            form.add_error(name, msg)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
