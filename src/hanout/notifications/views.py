from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hanout.core.pages import member_required
from hanout.notifications import selectors, services


@member_required()
def inbox(request):
    items = list(
        selectors.notifications_for(recipient=request.user, business=request.business)[:100]
    )
    return render(request, "notifications/inbox.html", {"items": items})


@require_POST
@member_required()
def mark_all_read(request):
    services.notifications_mark_read(recipient=request.user, business=request.business)
    return redirect("notifications")
