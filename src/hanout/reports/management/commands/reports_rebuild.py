"""`hanout manage reports_rebuild [--since YYYY-MM-DD] [--business ID]`: build the daily
report tables again from the tickets and invoices (after a restore, an import, or a
change in how a figure is counted)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from hanout.core.models import Business
from hanout.reports.services import daily_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily report tables from the source rows."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="first day to rebuild (YYYY-MM-DD); default: all")
        parser.add_argument("--business", help="one business id; default: every business")

    def handle(self, *args, since=None, business=None, **options):
        try:
            first = date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since must be a day written YYYY-MM-DD, not {since!r}") from exc
        businesses = Business.objects.all()
        if business:
            businesses = businesses.filter(pk=business)
            if not businesses.exists():
                raise CommandError(f"There is no business {business}.")
        for b in businesses:
            days = daily_rebuild(business=b, since=first)
            self.stdout.write(f"{b.name}: {days} shop-days rebuilt")
