from django.urls import path

from hanout.marketplace import views

urlpatterns = [
    path("market/", views.market_browse, name="market_browse"),
    path("market/listings/new/", views.listing_create, name="listing_create"),
    path("market/listings/<uuid:pk>/", views.listing_detail, name="listing_detail"),
    path("market/listings/<uuid:pk>/buy/", views.listing_buy, name="listing_buy"),
    path("market/listings/<uuid:pk>/offer/", views.listing_offer, name="listing_offer"),
    path("market/listings/<uuid:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("market/listings/<uuid:pk>/publish/", views.listing_publish, name="listing_publish"),
    path("market/listings/<uuid:pk>/delete/", views.listing_delete, name="listing_delete"),
    path(
        "market/listings/<uuid:pk>/pictures/<uuid:image_pk>/remove/",
        views.listing_image_remove,
        name="listing_image_remove",
    ),
    path(
        "market/listings/<uuid:pk>/pictures/<uuid:image_pk>/<str:size>/",
        views.listing_picture,
        name="listing_picture",
    ),
    path(
        "market/businesses/<uuid:business_pk>/picture/",
        views.profile_picture,
        name="market_profile_picture",
    ),
    path("market/mine/", views.market_mine, name="market_mine"),
    path("market/offers/", views.market_offers, name="market_offers"),
    path("market/offers/<uuid:pk>/<str:action>/", views.offer_action, name="market_offer_action"),
    path("market/purchases/", views.market_purchases, name="market_purchases"),
    path("market/purchases/<uuid:pk>/", views.market_purchase, name="market_purchase"),
    path(
        "market/purchases/<uuid:pk>/<str:action>/",
        views.purchase_action,
        name="market_purchase_action",
    ),
    path("market/wallet/", views.market_wallet, name="market_wallet"),
    path("market/wallet/export/", views.wallet_export, name="market_wallet_export"),
    path("market/wallet/<str:kind>/", views.wallet_request, name="market_wallet_request"),
    path("market/profile/", views.market_profile, name="market_profile"),
    path("market/analytics/", views.market_analytics, name="market_analytics"),
    path("market/admin/", views.market_admin, name="market_admin"),
    path(
        "market/admin/<str:what>/<uuid:pk>/<str:action>/",
        views.admin_decide,
        name="market_admin_decide",
    ),
]
