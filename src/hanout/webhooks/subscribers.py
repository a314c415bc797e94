"""Domain events → webhook deliveries. Every event a business can choose is listened
to here, including ones no service emits yet (`expense.created` comes with expenses)."""

from hanout.core import events
from hanout.webhooks.models import EVENTS


def _on_event(event: events.Event) -> None:
    from hanout.webhooks.services_deliveries import deliveries_for_event

    deliveries_for_event(event=event)


for _name in EVENTS:
    events.subscribe(_name)(_on_event)
