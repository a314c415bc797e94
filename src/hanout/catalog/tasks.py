"""Background jobs of the catalog: applying a large import file."""

from huey.contrib.djhuey import task


@task()
def import_apply_job(business_id: str, user_id: str, token: str) -> None:
    """Apply a confirmed import (catalog.imports.import_run) outside the web request."""
    from hanout.accounts.models import User
    from hanout.catalog.imports import import_run
    from hanout.core.models import Business

    business = Business.objects.get(pk=business_id)
    user = User.objects.get(pk=user_id)
    import_run(business=business, user=user, token=token)
