"""Every REST route under /api/v1/. Each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from hanout.accounts import api as accounts_api
from hanout.core import api_views as core_api

router = DefaultRouter(trailing_slash=True)
core_api.register(router)
accounts_api.register(router)

urlpatterns = router.urls
