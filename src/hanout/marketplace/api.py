"""REST API of the marketplace (module `marketplace`: reading needs read, anything else full).

Wallet (the business's own):
- `GET /api/v1/market/wallet/`: balance, held, available, currency.
- `GET /api/v1/market/wallet/entries/?kind=&since=&until=`: the ledger, newest first.
- `GET|POST /api/v1/market/wallet/requests/`: deposits and withdrawals
  `{"kind": "deposit"|"withdrawal", "amount", "reference", "client_uuid"}` (201; 200 with
  the first request when its client_uuid was seen; 409 when that key came with other data).

Idempotency: every request that takes a `client_uuid` (deposits and withdrawals, buy now,
offers, new listings) takes the standard `Idempotency-Key` HTTP header instead (a UUID, used
when the body has no `client_uuid`; both sent and different, or a header that is not a UUID,
is a 400 naming `Idempotency-Key`).

Listings:
- `GET /api/v1/market/listings/?search=&category=&min_price=&max_price=&country=&sort=`:
  every business's published listings (open to every business, with a token; not
  anonymous), in the `sort` order across pages; `GET {id}/` one of them with its pictures
  and ownership history; `GET {id}/images/{image_id}/full|thumb/` a picture's file;
  `POST {id}/buy/` `{"quantity", "client_uuid"}` buys now.
- `/api/v1/market/my-listings/`: the business's own listings in any state: create, change,
  delete, `POST {id}/publish/`, `POST {id}/unpublish/`, `POST {id}/images/` (multipart
  `file`), `DELETE {id}/images/{image_id}/`; `POST bulk/` creates, updates or deletes up to
  1,000 listings (`atomic`: all or nothing).

Offers and purchases (the two parties only):
- `GET|POST /api/v1/market/offers/`, `POST {id}/accept|decline|counter|withdraw/`.
- `GET /api/v1/market/purchases/`, `POST {id}/deliver|confirm|cancel/`.

Profile and analytics: `GET /api/v1/market/profile/` (with a `summary` of counts and the
wallet; the lists behind the counts are `purchases/?side=buyer|seller&status=completed`,
`my-listings/?status=published`, `offers/?side=…&status=live` and `wallet/entries/`),
`PATCH /api/v1/market/profile/update/`, `GET /api/v1/market/profile/picture/`,
`GET /api/v1/market/analytics/?since=&until=`.

Platform administrators (`is_staff`): `/api/v1/market/admin/requests/` and
`/api/v1/market/admin/purchases/` with `POST {id}/approve|reject/`.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from hanout.core import idempotency
from hanout.core.api import CursorPagination, error_body
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import DomainError, NotFound, ValidationFailed
from hanout.core.exports import (
    EXPORT_RENDERERS,
    FileExportMixin,
    attachment,
    export_schema,
    file_response,
)
from hanout.core.files import picture_response
from hanout.core.models import IdempotencyKey
from hanout.core.money import quantize
from hanout.core.permissions import Level, Module
from hanout.core.schema import IDEMPOTENCY_KEY_HEADER, ErrorSerializer, OneObjectListSchema
from hanout.core.selectors import business_zone
from hanout.marketplace import exports as market_exports
from hanout.marketplace import selectors
from hanout.marketplace import services_listings as listings
from hanout.marketplace import services_profile as profiles
from hanout.marketplace import services_trade as trade
from hanout.marketplace import services_wallet as wallets
from hanout.marketplace.models import (
    EntryKind,
    Listing,
    ListingCategory,
    ListingImage,
    ListingStatus,
    MarketProfile,
    Offer,
    OfferCloseReason,
    OfferSide,
    OfferStatus,
    OfferTerms,
    Ownership,
    Purchase,
    PurchaseStatus,
    RequestKind,
    RequestStatus,
    Wallet,
    WalletEntry,
    WalletRequest,
)

BULK_MAX = 1000
# The service's words, translated when the error is shown (not when this module loads).
OFFER_DAYS_ERROR = lazy(
    lambda: _("An offer lasts from 1 to %(days)d days.") % {"days": trade.OFFER_DAYS_MAX}, str
)()
NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer,
    description=gettext_lazy(
        "Something named in the request (a listing, product or location) is not found."
    ),
)


def _absolute(context, name: str, *args) -> str:
    """An absolute URL of an API route (a relative one when there is no request, as in
    events): a client follows it with the same token it called the API with."""
    path = reverse(name, args=args)
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class Priced(serializers.DecimalField):
    """An amount at the precision of the currency of the object it belongs to."""

    def __init__(self, *, currency_of: str = "", **kwargs):
        """`currency_of`: the related object holding `currency` ("listing"), when the
        object itself has none."""
        self.currency_of = currency_of
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        holder = getattr(instance, self.currency_of) if self.currency_of else instance
        return None if value is None else (value, holder.currency)

    def to_representation(self, pair):
        value, currency = pair
        return str(quantize(value, currency))


class AmountInput(serializers.CharField):
    """An amount as text ("12.50"), checked as the service checks it (a plain decimal, the
    currency's decimals, more than zero, within the terms' maximum) so that its error is
    told with the other fields' errors, not after they are fixed. The currency is the
    calling business's; the service checks again whatever it is given."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        text = super().run_validation(data)
        business = getattr(self.context.get("request"), "business", None)
        if business is None:
            return text
        try:
            return wallets.parse_amount(
                text, currency=business.currency, field=self.field_name, business=business
            )
        except ValidationFailed as exc:
            raise serializers.ValidationError(exc.fields.get(self.field_name, exc.message)) from exc


class PriceFilter(serializers.DecimalField):
    """A price to filter on: a plain decimal, zero or more."""

    def __init__(self, **kwargs):
        message = gettext_lazy("Enter a price of zero or more, such as 12.50.")
        kwargs.update(max_digits=14, decimal_places=3, min_value=0, required=False)
        kwargs["error_messages"] = {"invalid": message, "min_value": message}
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not wallets.PLAIN_DECIMAL.fullmatch(str(data).strip()):
            self.fail("invalid")
        return super().to_internal_value(data)


class _Period(serializers.Serializer):
    """`since` and `until` (days, both included): an end before the start is a 400."""

    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError(
                {"until": [_("The end date (until) is before the start date (since).")]}
            )
        return attrs


# --- serializers -------------------------------------------------------------------------------


class WalletSerializer(serializers.ModelSerializer):
    balance = Priced(source="posted")
    held = Priced()
    available = Priced()

    class Meta:
        model = Wallet
        fields = ["currency", "balance", "held", "available"]
        read_only_fields = fields


class EntrySerializer(serializers.ModelSerializer):
    posted_change = Priced()
    held_change = Priced()
    posted_after = Priced()
    held_after = Priced()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    counterparty_name = serializers.CharField(
        source="counterparty.name", read_only=True, default=None
    )

    class Meta:
        model = WalletEntry
        fields = [
            "id",
            "seq",
            "kind",
            "kind_label",
            "posted_change",
            "held_change",
            "posted_after",
            "held_after",
            "currency",
            "request",
            "purchase",
            "counterparty",
            "counterparty_name",
            "created_at",
        ]
        read_only_fields = fields


class EntryQuerySerializer(_Period):
    kind = serializers.ChoiceField(choices=EntryKind.choices, required=False)


class RequestSerializer(serializers.ModelSerializer):
    amount = Priced()
    business_name = serializers.CharField(source="business.name", read_only=True)

    class Meta:
        model = WalletRequest
        fields = [
            "id",
            "business",
            "business_name",
            "kind",
            "amount",
            "currency",
            "status",
            "reference",
            "reason",
            "expires_at",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class RequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    amount = AmountInput()
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    client_uuid = serializers.UUIDField(required=False)


class RequestQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


class MyListingQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ListingStatus.choices, required=False)


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ListingImage
        fields = ["id", "url", "thumbnail_url", "position"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        """The picture's file through the API (the same token reads it), as an absolute URL."""
        return _absolute(self.context, "market-listing-image-file", obj.listing_id, obj.pk, "full")

    def get_thumbnail_url(self, obj) -> str:
        return _absolute(self.context, "market-listing-image-file", obj.listing_id, obj.pk, "thumb")


class OwnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="business.name", read_only=True)
    unit_price = Priced(currency_of="listing", allow_null=True)

    class Meta:
        model = Ownership
        fields = ["business", "name", "since", "quantity", "unit_price", "purchase"]
        read_only_fields = fields


class ListingSerializer(serializers.ModelSerializer):
    price = Priced()
    seller = serializers.UUIDField(source="business_id", read_only=True)
    seller_name = serializers.CharField(source="business.name", read_only=True)
    images = ImageSerializer(many=True, read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "name",
            "description",
            "category",
            "price",
            "currency",
            "quantity",
            "status",
            "country",
            "seller",
            "seller_name",
            "product",
            "location",
            "reserved",
            "images",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ListingDetailSerializer(ListingSerializer):
    owners = serializers.SerializerMethodField()

    class Meta(ListingSerializer.Meta):
        fields = [*ListingSerializer.Meta.fields, "owners"]
        read_only_fields = fields

    @extend_schema_field(OwnerSerializer(many=True))
    def get_owners(self, obj):
        return OwnerSerializer(selectors.ownership_history(obj), many=True).data


class ListingWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=ListingCategory.choices, required=False)
    price = AmountInput(required=False)
    quantity = serializers.IntegerField(
        min_value=0, max_value=listings.MAX_QUANTITY, required=False
    )


class ListingCreateSerializer(ListingWriteSerializer):
    name = serializers.CharField(max_length=160)
    price = AmountInput()
    # Checked here too (the service says the same), so a 400 names every wrong field.
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=listings.MAX_QUANTITY,
        required=False,
        error_messages={"min_value": gettext_lazy("Enter at least 1 unit.")},
    )
    product = serializers.UUIDField(required=False)
    location = serializers.UUIDField(required=False)
    publish = serializers.BooleanField(default=False)
    client_uuid = serializers.UUIDField(required=False)


class BrowseQuerySerializer(serializers.Serializer):
    search = serializers.CharField(max_length=100, required=False)
    category = serializers.ChoiceField(choices=ListingCategory.choices, required=False)
    min_price = PriceFilter()
    max_price = PriceFilter()
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False)
    sort = serializers.ChoiceField(choices=list(selectors.SORTS), required=False)

    def validate(self, attrs):
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"max_price": [_("The highest price (max_price) is below the lowest (min_price).")]}
            )
        return attrs


class BuySerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, default=1)
    client_uuid = serializers.UUIDField(required=False)


class ListingImageUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class OfferTermsSerializer(serializers.ModelSerializer):
    side = serializers.ChoiceField(
        choices=OfferSide.choices,
        read_only=True,
        help_text=gettext_lazy("Who proposed these terms: `buyer` (the offer) or `seller`."),
    )
    business = serializers.SerializerMethodField()
    business_name = serializers.SerializerMethodField()
    unit_price = Priced(currency_of="offer")
    amount = serializers.SerializerMethodField()

    class Meta:
        model = OfferTerms
        fields = [
            "side",
            "business",
            "business_name",
            "unit_price",
            "quantity",
            "amount",
            "created_at",
        ]
        read_only_fields = fields

    def _business(self, obj):
        offer = obj.offer
        return offer.business if obj.side == OfferSide.BUYER else offer.seller

    @extend_schema_field(serializers.UUIDField())
    def get_business(self, obj):
        return str(obj.offer.business_id if obj.side == OfferSide.BUYER else obj.offer.seller_id)

    @extend_schema_field(serializers.CharField())
    def get_business_name(self, obj) -> str:
        return self._business(obj).name

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=3))
    def get_amount(self, obj) -> str:
        return str(quantize(obj.unit_price * obj.quantity, obj.offer.currency))


class OfferSerializer(serializers.ModelSerializer):
    unit_price = Priced()
    amount = Priced()
    buyer = serializers.UUIDField(source="business_id", read_only=True)
    buyer_name = serializers.CharField(source="business.name", read_only=True)
    seller_name = serializers.CharField(source="seller.name", read_only=True)
    listing_name = serializers.CharField(source="listing.name", read_only=True)
    history = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The negotiation, oldest first: the buyer's first price and quantity, then each "
            "counter-offer. The offer's own `unit_price` and `quantity` are the terms in force."
        )
    )
    closed_reason = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Why the marketplace closed the offer (status `closed`): `sold_out` or "
            "`unpublished`; null otherwise."
        )
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "listing",
            "listing_name",
            "buyer",
            "buyer_name",
            "seller",
            "seller_name",
            "unit_price",
            "quantity",
            "amount",
            "currency",
            "message",
            "status",
            "closed_reason",
            "counters",
            "history",
            "expires_at",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OfferTermsSerializer(many=True))
    def get_history(self, obj) -> list:
        # The history rows point back at this offer: reuse it (its parties are loaded).
        rows = list(obj.history.all())
        for row in rows:
            row.offer = obj
        return OfferTermsSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(serializers.ChoiceField(choices=OfferCloseReason.choices, allow_null=True))
    def get_closed_reason(self, obj):
        return obj.closed_reason or None


class OfferCreateSerializer(serializers.Serializer):
    listing = serializers.UUIDField()
    unit_price = AmountInput()
    quantity = serializers.IntegerField(min_value=1, default=1)
    expires_at = serializers.DateTimeField(required=False)
    valid_for_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=trade.OFFER_DAYS_MAX,
        error_messages={"min_value": OFFER_DAYS_ERROR, "max_value": OFFER_DAYS_ERROR},
        help_text="Instead of expires_at: the offer ends this many days (1–30) from now. "
        "Without either it ends in 3 days.",
    )
    message = serializers.CharField(max_length=500, required=False, allow_blank=True)
    client_uuid = serializers.UUIDField(required=False)


class CounterSerializer(serializers.Serializer):
    unit_price = AmountInput()
    quantity = serializers.IntegerField(min_value=1, required=False)


class SideQuerySerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[("buyer", "buyer"), ("seller", "seller")], required=False
    )


class OfferQuerySerializer(SideQuerySerializer):
    status = serializers.ChoiceField(
        choices=[("live", "live"), *OfferStatus.choices],
        required=False,
        help_text=gettext_lazy("`live`: open or countered."),
    )


class PurchaseQuerySerializer(SideQuerySerializer):
    status = serializers.ChoiceField(
        choices=[("open", "open"), *PurchaseStatus.choices],
        required=False,
        help_text=gettext_lazy("`open`: paid, delivered or waiting for an administrator."),
    )


class PurchaseSerializer(serializers.ModelSerializer):
    unit_price = Priced()
    amount = Priced()
    buyer = serializers.UUIDField(source="business_id", read_only=True)
    buyer_name = serializers.CharField(source="business.name", read_only=True)
    seller_name = serializers.CharField(source="seller.name", read_only=True)
    listing_name = serializers.CharField(source="listing.name", read_only=True)

    class Meta:
        model = Purchase
        fields = [
            "id",
            "listing",
            "listing_name",
            "buyer",
            "buyer_name",
            "seller",
            "seller_name",
            "offer",
            "quantity",
            "unit_price",
            "amount",
            "currency",
            "status",
            "needs_approval",
            "delivered_at",
            "confirm_by",
            "completed_at",
            "cancelled_at",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ProfileSummarySerializer(serializers.Serializer):
    """The counts the profile page shows; the lists behind them are `purchases/?side=`,
    `my-listings/?status=published`, `offers/?side=&status=live` and `wallet/entries/`."""

    purchased = serializers.IntegerField(help_text=gettext_lazy("Completed purchases."))
    sold = serializers.IntegerField(help_text=gettext_lazy("Completed sales."))
    unsold = serializers.IntegerField(
        help_text=gettext_lazy("Published listings with some quantity left.")
    )
    offers_in = serializers.IntegerField(
        help_text=gettext_lazy("Offers on this business's listings waiting for an answer.")
    )
    offers_out = serializers.IntegerField(
        help_text=gettext_lazy("This business's offers waiting for an answer.")
    )
    wallet = WalletSerializer()


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="business.name", read_only=True)
    country = serializers.CharField(source="business.country", read_only=True)
    picture = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = MarketProfile
        fields = ["name", "country", "bio", "address", "picture", "summary"]
        read_only_fields = fields

    @extend_schema_field(ProfileSummarySerializer)
    def get_summary(self, obj) -> dict:
        """Counts of the business's trade and its wallet, as the profile page shows them."""
        return ProfileSummarySerializer(
            selectors.profile_summary(obj.business), context=self.context
        ).data

    def get_picture(self, obj) -> str | None:
        """The picture's file through the API, as an absolute URL; null without a picture."""
        if not obj.picture:
            return None
        return _absolute(self.context, "market-profile-picture")


class ProfileUpdateSerializer(serializers.Serializer):
    bio = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    picture = serializers.ImageField(required=False)


class Total(serializers.DecimalField):
    """A sum in the business's currency (the serializer context's `currency`), at its
    decimals: "54.00" in euros, not the column's "54.000"."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=16, decimal_places=3, **kwargs)

    def to_representation(self, value):
        return str(quantize(value, self.context["currency"]))


class TotalsSerializer(serializers.Serializer):
    deposited = Total()
    withdrawn = Total()
    earned = Total()
    spent = Total()


class MonthSerializer(TotalsSerializer):
    month = serializers.CharField()


class TopItemSerializer(serializers.Serializer):
    listing = serializers.UUIDField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    quantity = serializers.IntegerField()
    revenue = Total()


class AnalyticsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    totals = TotalsSerializer()
    pending_requests = serializers.IntegerField()
    by_month = MonthSerializer(many=True)
    top_by_count = TopItemSerializer(many=True)
    top_by_revenue = TopItemSerializer(many=True)


class PeriodSerializer(_Period):
    pass


def _key(request, data, *, required: bool = False):
    """The request's idempotency key: `client_uuid`, or else the `Idempotency-Key` header.
    `required` for the requests that move money (deposits, withdrawals, buy now): a retry
    without a key would move it twice."""
    key = idempotency.key_from(
        header=request.headers.get(idempotency.HEADER), body=data.get("client_uuid")
    )
    if key is None and required:
        message = _(
            "Money moves only with an idempotency key: send a client_uuid (a UUID made once "
            "for this request) or an Idempotency-Key header, and the same one if you retry."
        )
        raise ValidationFailed(
            message, fields={"client_uuid": [message], idempotency.HEADER: [message]}
        )
    return key


def _seen(request, key) -> bool:
    """Was this client_uuid used before (the answer is then 200, not 201)?"""
    return (
        key is not None
        and IdempotencyKey.objects.filter(business=request.business, key=key).exists()
    )


def _created(seen: bool) -> int:
    return status.HTTP_200_OK if seen else status.HTTP_201_CREATED


class MarketViewSet(ApiViewSet):
    module = Module.MARKETPLACE


# --- wallet ------------------------------------------------------------------------------------


class WalletViewSet(FileExportMixin, MarketViewSet):
    """The business's wallet: balance, ledger, deposits and withdrawals."""

    schema = OneObjectListSchema()

    model = WalletEntry
    serializer_class = EntrySerializer

    def scoped_queryset(self, **filters):
        return selectors.entry_list(business=self.request.business, **filters)

    @extend_schema(responses=WalletSerializer)
    def list(self, request):
        return self.respond(WalletSerializer, selectors.wallet_get(request.business))

    @extend_schema(parameters=[EntryQuerySerializer], responses=EntrySerializer(many=True))
    @action(detail=False, methods=["get"])
    def entries(self, request):
        return self.paginated(
            EntrySerializer, self.scoped_queryset(**self.query(EntryQuerySerializer))
        )

    @export_schema(EntryQuerySerializer, what="the wallet's ledger entries")
    @action(
        detail=False,
        methods=["get"],
        url_path="entries/export",
        pagination_class=None,
        renderer_classes=EXPORT_RENDERERS,
    )
    def export(self, request):
        """The ledger as CSV or XLSX, with the filters of `entries`; times in the
        business's time zone (named in the header), amounts in the currency's decimals."""
        fmt = self.export_format()
        entries = self.scoped_queryset(**self.query(EntryQuerySerializer))
        zone = business_zone(request.business)
        if fmt == "xlsx":
            # Times as real date cells (sortable, filterable), not text.
            header, rows = selectors.ledger_table(entries, tz=zone, typed=True)
            body = market_exports.xlsx_bytes(_("Wallet"), header, rows)
            return attachment(body, fmt="xlsx", name="wallet-ledger")
        header, rows = selectors.ledger_table(entries, tz=zone)
        return file_response(fmt, name="wallet-ledger", title=_("Wallet"), header=header, rows=rows)


@extend_schema_view(
    list=extend_schema(parameters=[RequestQuerySerializer], responses=RequestSerializer(many=True)),
    retrieve=extend_schema(responses=RequestSerializer),
    create=extend_schema(
        request=RequestCreateSerializer,
        responses={201: RequestSerializer, 200: RequestSerializer},
        parameters=[IDEMPOTENCY_KEY_HEADER],
    ),
)
class WalletRequestViewSet(MarketViewSet):
    """Deposits and withdrawals: pending until a platform administrator decides."""

    model = WalletRequest
    serializer_class = RequestSerializer

    def scoped_queryset(self, **filters):
        return selectors.request_list(business=self.request.business, **filters)

    def list(self, request):
        return self.paginated(
            RequestSerializer, self.scoped_queryset(**self.query(RequestQuerySerializer))
        )

    def retrieve(self, request, pk=None):
        return self.respond(RequestSerializer, self.get_object())

    def create(self, request):
        data = self.validated(RequestCreateSerializer)
        key = _key(request, data, required=True)
        seen = _seen(request, key)
        make = (
            wallets.deposit_request
            if data["kind"] == RequestKind.DEPOSIT
            else wallets.withdrawal_request
        )
        made = make(
            business=request.business,
            actor=request.user,
            amount=data["amount"],
            reference=data.get("reference", ""),
            key=key,
        )
        return self.respond(RequestSerializer, made, status_code=_created(seen))


# --- listings ------------------------------------------------------------------------------------


def _listing_detail(listing, view) -> dict:
    return ListingDetailSerializer(listing, context=view.get_serializer_context()).data


class ListingBrowsePagination(CursorPagination):
    """Pages of the shop window in the order asked for (`sort`), not the API's default
    newest-id-first: the cursor follows the sort's first column (price, name or the day
    published, never null on a published listing) and the id breaks ties."""

    def get_ordering(self, request, queryset, view):
        return tuple(selectors.SORTS[getattr(view, "sort", selectors.DEFAULT_SORT)])


IMAGE_FILE = {(200, "image/*"): OpenApiTypes.BINARY, 404: NOT_FOUND}


@extend_schema_view(
    list=extend_schema(parameters=[BrowseQuerySerializer], responses=ListingSerializer(many=True)),
    retrieve=extend_schema(responses=ListingDetailSerializer),
)
class ListingViewSet(MarketViewSet):
    """Every business's published listings: browse, read, buy now."""

    model = Listing
    serializer_class = ListingSerializer
    pagination_class = ListingBrowsePagination

    def scoped_queryset(self, **filters):
        return selectors.listing_browse(**filters)

    def get_object(self):
        return selectors.listing_get(viewer=self.request.business, pk=self.kwargs["pk"])

    def list(self, request):
        q = self.query(BrowseQuerySerializer)
        q["q"] = q.pop("search", "")
        q["sort"] = self.sort = q.get("sort") or selectors.DEFAULT_SORT
        return self.paginated(ListingSerializer, self.scoped_queryset(**q))

    def retrieve(self, request, pk=None):
        return Response(_listing_detail(self.get_object(), self))

    @extend_schema(
        responses=IMAGE_FILE,
        description=gettext_lazy(
            "A picture of a listing the business may see (any published one, or its own): "
            "`full` or `thumb` (the thumbnail). The `url` and `thumbnail_url` of a listing's "
            "`images` lead here."
        ),
        parameters=[
            OpenApiParameter("image_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
            OpenApiParameter("size", str, OpenApiParameter.PATH, enum=["full", "thumb"]),
        ],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"images/(?P<image_id>[0-9a-f-]{36})/(?P<size>full|thumb)",
        url_name="image-file",
        pagination_class=None,
    )
    def image_file(self, request, pk=None, image_id=None, size=None):
        listing = self.get_object()
        image = listing.images.filter(pk=image_id).first() if selectors.valid_id(image_id) else None
        if image is None:
            raise NotFound(_("This picture was not found."))
        return picture_response(image.thumbnail if size == "thumb" else image.image)

    @extend_schema(
        request=BuySerializer,
        responses={201: PurchaseSerializer, 200: PurchaseSerializer},
        parameters=[IDEMPOTENCY_KEY_HEADER],
    )
    @action(detail=True, methods=["post"])
    def buy(self, request, pk=None):
        """Buy `quantity` units at the listed price: the money is held on your wallet.

        Refusals are a 409 with `error.code`: `sold_out` (nothing is left),
        `not_enough_left` (fewer units are left than asked: the message says how many),
        `insufficient_funds`, `currency_mismatch` (the listing is in another currency
        than your wallet), `own_listing`, `listing_unpublished`, `too_large`.
        """
        listing = self.get_object()
        data = self.validated(BuySerializer)
        key = _key(request, data, required=True)
        seen = _seen(request, key)
        purchase = trade.buy_now(
            business=request.business,
            actor=request.user,
            listing=listing,
            quantity=data["quantity"],
            key=key,
        )
        return self.respond(PurchaseSerializer, purchase, status_code=_created(seen))


class ListingBulkRowSerializer(serializers.Serializer):
    op = serializers.ChoiceField(
        choices=[("create", "create"), ("update", "update"), ("delete", "delete")]
    )
    id = serializers.UUIDField(required=False)
    data = serializers.DictField(required=False)


class ListingBulkSerializer(serializers.Serializer):
    atomic = serializers.BooleanField(default=False)
    rows = ListingBulkRowSerializer(many=True)

    def validate_rows(self, rows):
        if not rows:
            raise serializers.ValidationError(_("Send at least one row."))
        if len(rows) > BULK_MAX:
            raise serializers.ValidationError(
                _("At most %(n)d rows per request.") % {"n": BULK_MAX}
            )
        return rows


class ListingBulkResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    ok = serializers.BooleanField()
    id = serializers.UUIDField(allow_null=True)
    error = serializers.DictField(allow_null=True)


class ListingBulkResponseSerializer(serializers.Serializer):
    atomic = serializers.BooleanField()
    applied = serializers.BooleanField()
    results = ListingBulkResultSerializer(many=True)


# Atomic and some rows failed: the API's error shape, plus every row's result (a row that
# would have created a listing has no id: nothing was written).
ListingBulkFailedSerializer = inline_serializer(
    name="ListingBulkFailed",
    fields={
        "error": ErrorSerializer.fields["error"].__class__(),
        "atomic": serializers.BooleanField(),
        "applied": serializers.BooleanField(),
        "results": ListingBulkResultSerializer(many=True),
    },
)


class _RollBack(Exception):
    pass


def _bulk_rolled_back(rows, results) -> Response:
    """The answer of an atomic bulk with a failing row: nothing was written, so a row
    that would have created a listing names no id."""
    for result in results:
        if rows[result["index"]]["op"] == "create":
            result["id"] = None
    bad = [r for r in results if not r["ok"]]
    first = bad[0]
    message = _(
        "%(n)d of %(total)d rows are not valid, so nothing was saved. First: row %(row)d: "
        "%(message)s"
    ) % {
        "n": len(bad),
        "total": len(results),
        # People count rows from 1 ("row 4"); `index` is the position in `rows`, from 0.
        "row": first["index"] + 1,
        "message": first["error"]["message"],
    }
    body = error_body("invalid", message)
    body.update({"atomic": True, "applied": False, "results": results})
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        parameters=[MyListingQuerySerializer], responses=ListingSerializer(many=True)
    ),
    retrieve=extend_schema(responses=ListingDetailSerializer),
    create=extend_schema(
        request=ListingCreateSerializer,
        responses={201: ListingDetailSerializer, 200: ListingDetailSerializer, 404: NOT_FOUND},
        parameters=[IDEMPOTENCY_KEY_HEADER],
    ),
    partial_update=extend_schema(request=ListingWriteSerializer, responses=ListingDetailSerializer),
    destroy=extend_schema(responses={204: None}),
)
class MyListingViewSet(MarketViewSet):
    """The business's own listings, in any state."""

    model = Listing
    serializer_class = ListingSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.listing_list_own(business=self.request.business, **filters)

    def get_object(self):
        return selectors.listing_get_own(business=self.request.business, pk=self.kwargs["pk"])

    def list(self, request):
        return self.paginated(
            ListingSerializer, self.scoped_queryset(**self.query(MyListingQuerySerializer))
        )

    def retrieve(self, request, pk=None):
        return Response(_listing_detail(self.get_object(), self))

    def _create(self, data, key=None):
        business = self.request.business
        product = location = None
        if data.get("product"):
            from hanout.catalog.models import Product

            product = Product.objects.filter(business=business, pk=data["product"]).first()
            if product is None:
                raise NotFound(
                    _("This product was not found."), fields={"product": [_("Not found.")]}
                )
        if data.get("location"):
            from hanout.inventory.models import Location

            location = Location.objects.filter(business=business, pk=data["location"]).first()
            if location is None:
                raise NotFound(
                    _("This location was not found."), fields={"location": [_("Not found.")]}
                )
        fields = {
            k: data[k]
            for k in ("name", "description", "category", "price", "quantity")
            if k in data
        }
        return listings.listing_create(
            business=business,
            actor=self.request.user,
            data=fields,
            product=product,
            location=location,
            publish=data.get("publish", False),
            key=key or data.get("client_uuid"),
        )

    def create(self, request):
        data = self.validated(ListingCreateSerializer)
        key = _key(request, data)
        seen = _seen(request, key)
        listing = self._create(data, key)
        return Response(_listing_detail(listing, self), status=_created(seen))

    def partial_update(self, request, pk=None):
        listing = listings.listing_update(
            listing=self.get_object(),
            actor=request.user,
            data=self.validated(ListingWriteSerializer, partial=True),
        )
        return Response(_listing_detail(listing, self))

    def destroy(self, request, pk=None):
        listings.listing_delete(listing=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ListingDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return Response(
            _listing_detail(
                listings.listing_publish(listing=self.get_object(), actor=request.user), self
            )
        )

    @extend_schema(request=None, responses=ListingDetailSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return Response(
            _listing_detail(
                listings.listing_unpublish(listing=self.get_object(), actor=request.user), self
            )
        )

    @extend_schema(methods=["GET"], request=None, responses=ImageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ListingImageUploadSerializer},
        responses={201: ImageSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def images(self, request, pk=None):
        listing = self.get_object()
        if request.method == "GET":
            return self.respond(ImageSerializer, listing.images.all(), many=True)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(
                _("file: choose an image."), fields={"file": [_("Choose an image.")]}
            )
        image = listings.listing_add_image(listing=listing, actor=request.user, upload=upload)
        return self.respond(ImageSerializer, image, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"images/(?P<image_id>[0-9a-f-]{36})")
    def image(self, request, pk=None, image_id=None):
        listing = self.get_object()
        image = (
            ListingImage.objects.filter(listing=listing, pk=image_id).first()
            if selectors.valid_id(image_id)
            else None
        )
        if image is None:
            raise NotFound(_("This picture was not found."))
        listings.listing_remove_image(image=image, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=ListingBulkSerializer,
        responses={
            200: ListingBulkResponseSerializer,
            400: OpenApiResponse(
                ListingBulkFailedSerializer,
                description=gettext_lazy(
                    "Bad request, or atomic and some rows failed (nothing written)."
                ),
            ),
        },
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Create, update or delete up to 1,000 listings; one result per row.

        With `atomic`, any failing row leaves everything unchanged: a 400 in the API's
        error shape with `applied: false` and every row's result, as `products/bulk/`.
        A result's `index` is the row's position in `rows`, counting from 0; the message
        names the row as people count, from 1 ("row 4" is `index` 3).
        """
        payload = self.validated(ListingBulkSerializer)
        results, failed = [], False
        try:
            with transaction.atomic():
                for index, row in enumerate(payload["rows"]):
                    try:
                        with transaction.atomic():
                            done = self._bulk_row(row)
                        results.append({"index": index, "ok": True, "id": done, "error": None})
                    except DomainError as exc:
                        failed = True
                        results.append(
                            {
                                "index": index,
                                "ok": False,
                                "id": row.get("id"),
                                "error": {
                                    "code": exc.code,
                                    "message": exc.message,
                                    "fields": exc.fields,
                                },
                            }
                        )
                if failed and payload["atomic"]:
                    raise _RollBack
        except _RollBack:
            pass
        if failed and payload["atomic"]:
            return _bulk_rolled_back(payload["rows"], results)
        body = {"atomic": payload["atomic"], "applied": True, "results": results}
        return Response(body, status=status.HTTP_200_OK)

    def _bulk_row(self, row):
        data = row.get("data") or {}
        if row["op"] == "create":
            checked = ListingCreateSerializer(data=data, context=self.get_serializer_context())
            if not checked.is_valid():
                raise ValidationFailed(_("This row is not valid."), fields=checked.errors)
            return self._create(checked.validated_data).pk
        if not row.get("id"):
            raise ValidationFailed(_("id: say which listing."), fields={"id": [_("Required.")]})
        listing = selectors.listing_get_own(business=self.request.business, pk=row["id"])
        if row["op"] == "delete":
            gone = listing.pk  # the row's answer names the listing it deleted
            listings.listing_delete(listing=listing, actor=self.request.user)
            return gone
        checked = ListingWriteSerializer(
            data=data, partial=True, context=self.get_serializer_context()
        )
        if not checked.is_valid():
            raise ValidationFailed(_("This row is not valid."), fields=checked.errors)
        listings.listing_update(
            listing=listing, actor=self.request.user, data=checked.validated_data
        )
        if "status" in data:
            if data["status"] == "published":
                listings.listing_publish(listing=listing, actor=self.request.user)
            elif data["status"] == "unpublished":
                listings.listing_unpublish(listing=listing, actor=self.request.user)
        return listing.pk


# --- offers and purchases ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[OfferQuerySerializer], responses=OfferSerializer(many=True)),
    retrieve=extend_schema(responses=OfferSerializer),
    create=extend_schema(
        request=OfferCreateSerializer,
        responses={201: OfferSerializer, 200: OfferSerializer, 404: NOT_FOUND},
        parameters=[IDEMPOTENCY_KEY_HEADER],
    ),
)
class OfferViewSet(MarketViewSet):
    """Offers made by the business (side=buyer) and received by it (side=seller)."""

    model = Offer
    serializer_class = OfferSerializer

    def scoped_queryset(self, **filters):
        return selectors.offer_list(business=self.request.business, **filters)

    def get_object(self):
        return selectors.offer_get(business=self.request.business, pk=self.kwargs["pk"])

    def list(self, request):
        return self.paginated(
            OfferSerializer, self.scoped_queryset(**self.query(OfferQuerySerializer))
        )

    def retrieve(self, request, pk=None):
        return self.respond(OfferSerializer, self.get_object())

    def create(self, request):
        data = self.validated(OfferCreateSerializer)
        key = _key(request, data)
        listing = selectors.listing_get(viewer=request.business, pk=data["listing"])
        seen = _seen(request, key)
        offer = trade.offer_make(
            business=request.business,
            actor=request.user,
            listing=listing,
            unit_price=data["unit_price"],
            quantity=data["quantity"],
            expires_at=data.get("expires_at"),
            valid_for_days=data.get("valid_for_days"),
            message=data.get("message", ""),
            key=key,
        )
        return self.respond(OfferSerializer, offer, status_code=_created(seen))

    @extend_schema(request=None, responses={201: PurchaseSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        purchase = trade.offer_accept(
            offer=self.get_object(), business=request.business, actor=request.user
        )
        return self.respond(PurchaseSerializer, purchase, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = trade.offer_decline(
            offer=self.get_object(), business=request.business, actor=request.user
        )
        return self.respond(OfferSerializer, offer)

    @extend_schema(request=CounterSerializer, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def counter(self, request, pk=None):
        offer = self.get_object()
        data = self.validated(CounterSerializer)
        offer = trade.offer_counter(
            offer=offer,
            business=request.business,
            actor=request.user,
            unit_price=data["unit_price"],
            quantity=data.get("quantity"),
        )
        return self.respond(OfferSerializer, offer)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        offer = trade.offer_withdraw(
            offer=self.get_object(), business=request.business, actor=request.user
        )
        return self.respond(OfferSerializer, offer)


@extend_schema_view(
    list=extend_schema(
        parameters=[PurchaseQuerySerializer], responses=PurchaseSerializer(many=True)
    ),
    retrieve=extend_schema(responses=PurchaseSerializer),
)
class PurchaseViewSet(MarketViewSet):
    """Purchases the business made (side=buyer) or sold (side=seller)."""

    model = Purchase
    serializer_class = PurchaseSerializer

    def scoped_queryset(self, **filters):
        return selectors.purchase_list(business=self.request.business, **filters)

    def get_object(self):
        return selectors.purchase_get(business=self.request.business, pk=self.kwargs["pk"])

    def list(self, request):
        return self.paginated(
            PurchaseSerializer, self.scoped_queryset(**self.query(PurchaseQuerySerializer))
        )

    def retrieve(self, request, pk=None):
        return self.respond(PurchaseSerializer, self.get_object())

    @extend_schema(request=None, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        p = trade.purchase_deliver(
            purchase=self.get_object(), business=request.business, actor=request.user
        )
        return self.respond(PurchaseSerializer, p)

    @extend_schema(request=None, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        p = trade.purchase_confirm(
            purchase=self.get_object(), business=request.business, actor=request.user
        )
        return self.respond(PurchaseSerializer, p)

    @extend_schema(request=ReasonSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        purchase = self.get_object()
        data = self.validated(ReasonSerializer)
        p = trade.purchase_cancel(
            purchase=purchase, business=request.business, actor=request.user, reason=data["reason"]
        )
        return self.respond(PurchaseSerializer, p)


# --- profile and analytics ---------------------------------------------------------------------------


class ProfileViewSet(MarketViewSet):
    """What other businesses read about this one on the marketplace."""

    schema = OneObjectListSchema()

    model = MarketProfile
    serializer_class = ProfileSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    required_levels = {"list": Level.READ}

    def scoped_queryset(self, **filters):
        return MarketProfile.objects.filter(business=self.request.business)

    @extend_schema(responses=ProfileSerializer)
    def list(self, request):
        return self.respond(ProfileSerializer, selectors.profile_get(request.business))

    @extend_schema(
        responses=IMAGE_FILE,
        description=gettext_lazy("The profile's picture (the file), or 404 without one."),
    )
    @action(detail=False, methods=["get"], url_name="picture", pagination_class=None)
    def picture(self, request):
        profile = selectors.profile_get(request.business)
        if not profile.picture:
            raise NotFound(_("This picture was not found."))
        return picture_response(profile.picture)

    @extend_schema(request=ProfileUpdateSerializer, responses=ProfileSerializer)
    @action(detail=False, methods=["patch"], url_path="update")
    def update_profile(self, request):
        data = self.validated(ProfileUpdateSerializer, partial=True)
        picture = data.pop("picture", None)
        profile = profiles.profile_update(
            business=request.business, actor=request.user, data=data, picture=picture
        )
        return self.respond(ProfileSerializer, profile)


class AnalyticsViewSet(MarketViewSet):
    """Totals earned, deposited, withdrawn and spent; top items; by month."""

    schema = OneObjectListSchema()

    model = WalletEntry
    serializer_class = AnalyticsSerializer

    def scoped_queryset(self, **filters):
        return WalletEntry.objects.for_business(self.request.business)

    @extend_schema(parameters=[PeriodSerializer], responses=AnalyticsSerializer)
    def list(self, request):
        period = self.query(PeriodSerializer)
        data = selectors.analytics(business=request.business, **period)
        context = {**self.get_serializer_context(), "currency": data["currency"]}
        return Response(AnalyticsSerializer(data, context=context).data)


# --- platform administrators -------------------------------------------------------------------------


class IsPlatformAdmin(permissions.BasePermission):
    message = gettext_lazy("Only a platform administrator can do this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff and user.is_active)


class AdminQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, default=RequestStatus.PENDING)
    kind = serializers.ChoiceField(choices=RequestKind.choices, required=False)


@extend_schema_view(
    list=extend_schema(parameters=[AdminQuerySerializer], responses=RequestSerializer(many=True)),
)
class AdminRequestViewSet(ApiViewSet):
    """Platform administrators: deposits and withdrawals waiting for a decision."""

    permission_classes = [IsPlatformAdmin]
    model = WalletRequest
    serializer_class = RequestSerializer

    def scoped_queryset(self, **filters):
        return selectors.admin_request_queue(**filters)

    def get_object(self):
        pk = self.kwargs["pk"]
        found = WalletRequest.objects.filter(pk=pk).first() if selectors.valid_id(pk) else None
        if found is None:
            raise NotFound(_("This request was not found."))
        return found

    def list(self, request):
        return self.paginated(
            RequestSerializer, self.scoped_queryset(**self.query(AdminQuerySerializer))
        )

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.respond(
            RequestSerializer,
            wallets.request_approve(request=self.get_object(), admin=request.user),
        )

    @extend_schema(request=ReasonSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        target = self.get_object()
        reason = self.validated(ReasonSerializer)["reason"]
        return self.respond(
            RequestSerializer,
            wallets.request_reject(request=target, admin=request.user, reason=reason),
        )


@extend_schema_view(list=extend_schema(responses=PurchaseSerializer(many=True)))
class AdminPurchaseViewSet(ApiViewSet):
    """Platform administrators: purchases above the threshold waiting for approval."""

    permission_classes = [IsPlatformAdmin]
    model = Purchase
    serializer_class = PurchaseSerializer

    def scoped_queryset(self, **filters):
        return selectors.admin_purchase_queue()

    def get_object(self):
        pk = self.kwargs["pk"]
        found = Purchase.objects.filter(pk=pk).first() if selectors.valid_id(pk) else None
        if found is None:
            raise NotFound(_("This purchase was not found."))
        return found

    def list(self, request):
        return self.paginated(PurchaseSerializer, self.scoped_queryset())

    @extend_schema(request=None, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.respond(
            PurchaseSerializer,
            trade.purchase_approve(purchase=self.get_object(), admin=request.user),
        )

    @extend_schema(request=ReasonSerializer, responses=PurchaseSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        target = self.get_object()
        reason = self.validated(ReasonSerializer)["reason"]
        return self.respond(
            PurchaseSerializer,
            trade.purchase_cancel(purchase=target, actor=request.user, reason=reason),
        )


def register(router):
    router.register("market/wallet/requests", WalletRequestViewSet, basename="market-request")
    router.register("market/wallet", WalletViewSet, basename="market-wallet")
    router.register("market/listings", ListingViewSet, basename="market-listing")
    router.register("market/my-listings", MyListingViewSet, basename="market-my-listing")
    router.register("market/offers", OfferViewSet, basename="market-offer")
    router.register("market/purchases", PurchaseViewSet, basename="market-purchase")
    router.register("market/profile", ProfileViewSet, basename="market-profile")
    router.register("market/analytics", AnalyticsViewSet, basename="market-analytics")
    router.register("market/admin/requests", AdminRequestViewSet, basename="market-admin-request")
    router.register(
        "market/admin/purchases", AdminPurchaseViewSet, basename="market-admin-purchase"
    )
