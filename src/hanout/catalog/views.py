"""Catalog pages: the explorer (tree + products as cards or a table), a product's page,
its create/edit form, its images, and the category tree editor.

Thin on purpose: reads go through catalog.selectors (and the inventory and
suppliers selectors on the product page), writes through one service each, and
a service's DomainError is shown beside the field it names. Every object is
looked up scoped to request.business, so another business's id is a 404.

The explorer pages with keyset cursors (hanout.core.keyset), never with COUNT
or OFFSET, so page 5,000 of a million products costs what page 1 costs.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hanout.catalog import selectors, services
from hanout.catalog.forms import (
    BarcodeFormSet,
    CategoryForm,
    CategoryRenameForm,
    ExplorerFilterForm,
    ProductForm,
    flatten_tree,
)
from hanout.catalog.models import Category, Product, ProductImage
from hanout.core.errors import DomainError, NotFound, ValidationFailed
from hanout.core.files import picture_response
from hanout.core.keyset import keyset_page
from hanout.core.money import quantize
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module

CARDS_PER_PAGE = 24
ROWS_PER_PAGE = 50
RECENT_MOVEMENTS = 10


# --- helpers ---------------------------------------------------------------------------------


def _product_or_404(request, pk) -> Product:
    try:
        return selectors.product_get(business=request.business, pk=pk)
    except (Product.DoesNotExist, NotFound) as exc:
        raise Http404 from exc


def _category_or_404(request, pk) -> Category:
    try:
        return selectors.category_get(business=request.business, pk=pk)
    except (Category.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _optional_url(name: str) -> str | None:
    """A page of another slice (import, export, labels), when it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _tree_rows(tree: list[dict]) -> list[dict]:
    """The tree in reading order; each row's count includes its sub-categories."""
    return [
        {"node": node, "depth": depth, "count": node.get("total_count", 0)}
        for node, depth in flatten_tree(tree)
    ]


def _open_tree_rows(tree: list[dict], category_id) -> list[dict]:
    """The explorer's tree: the domains, plus the open branch of the selected category.

    The ancestors of the selected category and the category itself are open
    (their children are shown); every other branch is closed and expanded on
    demand (catalog_tree_children), so the page renders a few dozen rows
    whatever the size of the tree (1,110 categories = 10 domains + one branch).
    """
    selected = str(category_id or "")
    nodes = {str(node["id"]): node for node, _depth in flatten_tree(tree)}
    open_ids: set[str] = set()
    node = nodes.get(selected)
    while node is not None:
        open_ids.add(str(node["id"]))
        node = nodes.get(str(node["parent_id"])) if node["parent_id"] else None
    rows: list[dict] = []

    def walk(children: list[dict], depth: int) -> None:
        for child in children:
            rows.append(_tree_row(child, depth, selected=selected, open_ids=open_ids))
            if str(child["id"]) in open_ids:
                walk(child["children"], depth + 1)

    walk(tree, 0)
    return rows


def _tree_row(node: dict, depth: int, *, selected: str, open_ids: set[str]) -> dict:
    key = str(node["id"])
    return {
        "node": node,
        "depth": depth,
        "count": node.get("total_count", 0),
        "active": key == selected,
        "has_children": bool(node["children"]),
        "open": key in open_ids,
    }


def _find_node(tree: list[dict], category_id) -> dict | None:
    for node, _depth in flatten_tree(tree):
        if str(node["id"]) == str(category_id):
            return node
    return None


def _category_path(tree: list[dict], category_id) -> list[dict]:
    """Domain › category › sub-category of a product, read from the tree (no extra query)."""
    nodes = {node["id"]: node for node, _depth in flatten_tree(tree)}
    path = []
    node = nodes.get(category_id)
    while node is not None:
        path.insert(0, node)
        node = nodes.get(node["parent_id"])
    return path


# --- explorer ----------------------------------------------------------------------------------


@require_GET
@member_required(Module.CATALOG)
def catalog_explorer(request):
    from hanout.suppliers import selectors as supplier_selectors

    business = request.business
    tree = selectors.category_tree(business=business)
    tags = list(selectors.tag_list(business=business))
    suppliers = list(
        supplier_selectors.supplier_list(business=business, active=True).only("id", "name")
    )
    form = ExplorerFilterForm(request.GET or None, tree=tree, tags=tags, suppliers=suppliers)
    category_id = form.value("category")
    status = form.value("status")
    search = form.value("q").strip()
    sort = form.value("sort") or "name"
    view = "table" if form.value("view") == "table" else "cards"

    current_node = _find_node(tree, category_id) if category_id else None
    products = selectors.product_list(
        business=business,
        search=search or None,
        # The descendants come from the tree already read: no query, a literal list.
        category_ids=(
            [node["id"] for node, _depth in flatten_tree([current_node])]
            if current_node
            else ([] if category_id else None)
        ),
        tag=form.value("tag") or None,
        supplier=form.value("supplier") or None,
        low_stock=True if form.value("low") else None,
        active={"": True, "inactive": False}.get(status),
        ordering=sort,
    )
    page = keyset_page(
        products,
        order=selectors.ORDERINGS[sort],
        size=ROWS_PER_PAGE if view == "table" else CARDS_PER_PAGE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    filtered = bool(
        search
        or category_id
        or form.value("tag")
        or form.value("supplier")
        or form.value("low")
        or status
    )
    context = {
        "form": form,
        "page": page,
        "view": view,
        "search": search,
        "filtered": filtered,
        "current_category": category_id,
        "current_node": current_node,
        "tree_rows": _open_tree_rows(tree, category_id),
        "io": {
            "import": _optional_url("catalog_import"),
            "export": _optional_url("catalog_export"),
            "labels": _optional_url("catalog_labels"),
        },
    }
    # Live search and filters swap only the results; a history restore needs the whole page.
    partial = (
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == "results"
    )
    template = "catalog/explorer.html#results" if partial else "catalog/explorer.html"
    return render(request, template, context | {"partial": partial})


@require_GET
@member_required(Module.CATALOG)
def catalog_tree_children(request, pk):
    """One tree row opened: the row itself and its children (htmx swaps it in place).

    The links keep the explorer's other filters (the request carries them via
    hx-include). Another business's category is a 404.
    """
    tree = selectors.category_tree(business=request.business)
    node = _find_node(tree, pk)
    if node is None:
        raise Http404
    depth = node["level"]
    selected = request.GET.get("category", "")
    rows = [_tree_row(node, depth, selected=selected, open_ids={str(node["id"])})]
    rows += [
        _tree_row(child, depth + 1, selected=selected, open_ids=set()) for child in node["children"]
    ]
    return render(request, "catalog/explorer.html#tree_rows", {"tree_rows": rows})


# --- one product -------------------------------------------------------------------------------


@require_GET
@member_required(Module.CATALOG)
def product_detail(request, pk):
    from hanout.inventory import selectors as stock_selectors
    from hanout.suppliers import selectors as supplier_selectors

    product = _product_or_404(request, pk)
    business = request.business
    membership = request.membership
    levels = movements = suppliers = None
    if membership.can_read(Module.STOCK):
        levels = list(stock_selectors.stock_level_list(business=business, product=product))
        movements = list(
            stock_selectors.movement_list(business=business, product=product)[:RECENT_MOVEMENTS]
        )
    if membership.can_read(Module.SUPPLIERS):
        suppliers = list(supplier_selectors.product_suppliers(product=product))
    tree = selectors.category_tree(business=business)
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "barcodes": list(product.barcodes.all()),
            "images": list(product.images.all()),
            "tags": list(product.tags.all()),
            "category_path": _category_path(tree, product.category_id),
            "levels": levels,
            "movements": movements,
            "suppliers": suppliers,
            "labels_url": _optional_url("catalog_labels"),
        },
    )


# A service names a barcode error "barcodes", "barcodes.2", "barcodes[2]" or "barcodes.2.code".
BARCODE_ERROR_KEY = re.compile(r"^barcodes?(?:[.\[](\d+)\]?)?(?:\.(code|kind))?$")


def _show_service_error(form: ProductForm, formset, exc: DomainError) -> None:
    """Put a service's error beside the field it names: product fields on the form,
    barcode errors beside that barcode's row (or above the rows when none is named)."""
    rest: dict = {}
    placed = False
    rows = formset.rows_with_code()
    for key, msgs in exc.fields.items():
        match = BARCODE_ERROR_KEY.match(str(key))
        if not match:
            base = re.split(r"[.\[]", str(key))[0]  # "tags[3]" → "tags"
            rest.setdefault(base if base in form.fields else key, []).extend(
                msgs if isinstance(msgs, list) else [msgs]
            )
            continue
        index = match.group(1)
        target = rows[int(index)] if index is not None and int(index) < len(rows) else None
        if target is None and len(rows) == 1:
            target = rows[0]
        for msg in msgs if isinstance(msgs, list) else [msgs]:
            if target is not None:
                target.add_error(match.group(2) or "code", msg)
            else:
                formset._non_form_errors.append(msg)
            placed = True
    if rest or not placed:
        apply_domain_error(form, ValidationFailed(exc.message, fields=rest))


def _plain(value: Decimal) -> str:
    """20.00 → "20", 6.50 → "6.5": what a person would type."""
    return format(value.normalize(), "f")


def _initial(product: Product, currency: str) -> dict:
    return {
        "name": product.name,
        "description": product.description,
        "sku": product.sku,
        "model": product.model,
        "brand": product.brand,
        "colour": product.colour,
        "size": product.size,
        "unit": product.unit,
        "sale_price": quantize(product.sale_price, currency),
        "cost": quantize(product.cost, currency),
        "tax_rate": _plain(product.tax_rate),
        "category": str(product.category_id) if product.category_id else "",
        "tags": ", ".join(t.name for t in product.tags.all()),
        "is_active": product.is_active,
    }


def _save_product(request, product: Product | None, form: ProductForm, formset) -> Product:
    """Create or update the product, then add the uploaded images, in one transaction:
    a refused image leaves nothing half-saved."""
    data = form.service_data() | {"barcodes": formset.barcodes()}
    with transaction.atomic():
        if product is None:
            saved = services.product_create(
                business=request.business, actor=request.user, data=data
            )
        else:
            saved = services.product_update(product=product, actor=request.user, data=data)
        for upload in form.cleaned_data.get("images") or []:
            try:
                services.product_image_add(product=saved, actor=request.user, file=upload)
            except DomainError as exc:
                raise ValidationFailed(
                    exc.message, fields={"images": [f"{upload.name}: {exc.message}"]}
                ) from exc
    return saved


def _product_form_page(request, product: Product | None):
    business = request.business
    tree = selectors.category_tree(business=business)
    post = request.method == "POST"
    initial = (
        _initial(product, business.currency)
        if product
        else {
            "unit": "piece",
            "is_active": True,
            "tax_rate": selectors.usual_tax_rate(business=business),
        }
    )
    form = ProductForm(
        request.POST if post else None,
        request.FILES if post else None,
        initial=initial,
        business=business,
        tree=tree,
    )
    barcodes = [{"code": b.code, "kind": b.kind} for b in product.barcodes.all()] if product else []
    formset = BarcodeFormSet(
        request.POST if post else None, initial=barcodes or [{}], prefix="barcodes"
    )
    status = 200
    if post:
        status = 400
        form_ok = form.is_valid()
        if formset.is_valid() and form_ok:
            try:
                saved = _save_product(request, product, form, formset)
            except DomainError as exc:
                _show_service_error(form, formset, exc)
                status = exc.status
            else:
                message = _("%(name)s was added.") if product is None else _("%(name)s was saved.")
                messages.success(request, message % {"name": saved.name})
                return redirect("product_detail", pk=saved.pk)
    return render(
        request,
        "catalog/product_form.html",
        {
            "form": form,
            "formset": formset,
            "product": product,
            "images": list(product.images.all()) if product is not None else [],
        },
        status=status,
    )


@member_required(Module.CATALOG, level=Level.FULL)
def product_create(request):
    return _product_form_page(request, None)


@member_required(Module.CATALOG, level=Level.FULL)
def product_edit(request, pk):
    return _product_form_page(request, _product_or_404(request, pk))


@require_POST
@member_required(Module.CATALOG)
def product_set_active(request, pk):
    product = _product_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.product_set_active(product=product, actor=request.user, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": product.name})
        else:
            messages.success(
                request,
                _("%(name)s was deactivated: it is no longer sold or listed.")
                % {"name": product.name},
            )
    return redirect("product_detail", pk=product.pk)


@require_POST
@member_required(Module.CATALOG)
def product_image_remove(request, pk, image_pk):
    product = _product_or_404(request, pk)
    try:
        image = selectors.image_get(product=product, pk=image_pk)
    except ProductImage.DoesNotExist as exc:
        raise Http404 from exc
    try:
        services.product_image_remove(image=image, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The image was removed."))
    return redirect("product_edit", pk=product.pk)


# Images are served through the tenant check, so another business's images cannot be
# fetched by guessing a path; each is one indexed read (the explorer asks one per card).


def _image_response(image: ProductImage | None, *, thumbnail: bool):
    if image is None:
        raise Http404
    return picture_response(image.thumbnail if thumbnail and image.thumbnail else image.image)


@require_GET
@member_required(Module.CATALOG)
def product_thumbnail(request, pk):
    """The first image's thumbnail: what the explorer's cards and rows show."""
    image = (
        ProductImage.objects.for_business(request.business)
        .filter(product_id=pk)
        .order_by("position", "id")
        .only("image", "thumbnail")
        .first()
    )
    return _image_response(image, thumbnail=True)


@require_GET
@member_required(Module.CATALOG)
def product_image(request, pk, image_pk, size):
    image = (
        ProductImage.objects.for_business(request.business)
        .filter(pk=image_pk, product_id=pk)
        .only("image", "thumbnail")
        .first()
    )
    return _image_response(image, thumbnail=size == "thumb")


# --- categories --------------------------------------------------------------------------------


@require_GET
@member_required(Module.CATALOG)
def category_list(request):
    tree = selectors.category_tree(business=request.business)
    return render(
        request, "catalog/category_list.html", {"rows": _tree_rows(tree), "form": CategoryForm()}
    )


@require_POST
@member_required(Module.CATALOG)
def category_create(request):
    form = CategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the category a name."))
        return redirect("category_list")
    parent = None
    if form.cleaned_data["parent"]:
        parent = _category_or_404(request, form.cleaned_data["parent"])
    try:
        category = services.category_create(
            business=request.business,
            actor=request.user,
            name=form.cleaned_data["name"].strip(),
            parent=parent,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” was added.") % {"name": category.name})
    return redirect("category_list")


@require_POST
@member_required(Module.CATALOG)
def category_update(request, pk):
    category = _category_or_404(request, pk)
    form = CategoryRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the category a name."))
        return redirect("category_list")
    old, new = category.name, form.cleaned_data["name"].strip()
    try:
        services.category_update(category=category, actor=request.user, data={"name": new})
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(old)s” was renamed “%(new)s”.") % {"old": old, "new": new})
    return redirect("category_list")


@require_POST
@member_required(Module.CATALOG)
def category_delete(request, pk):
    category = _category_or_404(request, pk)
    name = category.name
    try:
        services.category_delete(category=category, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
    return redirect("category_list")
