"""Supplier pages: the list, a supplier's card with its catalog, create and edit.

Thin on purpose: each POST validates a form, calls one service and shows the
service's DomainError beside the field it names. Every object is looked up
through a selector scoped to request.business, so another business's id is a
404. Reading needs `read` on Suppliers; every POST needs `full` (a 403 page
otherwise), and read-only people are shown no edit controls.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hanout.catalog.models import Product
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.suppliers import selectors, services
from hanout.suppliers.forms import SupplierFilterForm, SupplierForm, SupplierItemForm
from hanout.suppliers.models import Supplier, SupplierProduct

SUPPLIER_PAGE_SIZE = 50
ITEM_PAGE_SIZE = 100
PRODUCT_CHOICES = 50


# --- helpers ---------------------------------------------------------------------------------


def _supplier_or_404(request, pk) -> Supplier:
    try:
        return selectors.supplier_get(business=request.business, pk=pk)
    except Supplier.DoesNotExist as exc:
        raise Http404 from exc


def _item_or_404(supplier: Supplier, pk) -> SupplierProduct:
    try:
        return selectors.supplier_item_get(supplier=supplier, pk=pk)
    except (SupplierProduct.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _product_links() -> bool:
    """Whether the catalog's product page exists yet (linked from the catalog table)."""
    try:
        reverse("product_detail", args=["00000000-0000-0000-0000-000000000000"])
    except NoReverseMatch:
        return False
    return True


# --- list and create -------------------------------------------------------------------------


@member_required(Module.SUPPLIERS)
def supplier_list(request):
    form = SupplierFilterForm(request.GET or None)
    suppliers = selectors.supplier_list(business=request.business, **form.filters())
    page = Paginator(suppliers, SUPPLIER_PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "suppliers/supplier_list.html#rows" if request.htmx else "suppliers/supplier_list.html"
    )
    return render(
        request, template, {"form": form, "page": page, "query": _query_without_page(request)}
    )


def _save_supplier(request, form: SupplierForm, supplier: Supplier | None):
    """Create or update from a valid form; the service's error goes beside its field."""
    try:
        if supplier is None:
            supplier = services.supplier_create(
                business=request.business, actor=request.user, data=form.cleaned_data
            )
            messages.success(request, _("%(name)s was added.") % {"name": supplier.name})
        else:
            services.supplier_update(supplier=supplier, actor=request.user, data=form.cleaned_data)
            messages.success(
                request, _("%(name)s was saved.") % {"name": form.cleaned_data["name"]}
            )
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None, exc.status
    return supplier, 200


@member_required(Module.SUPPLIERS, level=Level.FULL)
def supplier_create(request):
    form = SupplierForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            supplier, status = _save_supplier(request, form, None)
            if supplier is not None:
                return redirect("supplier_detail", pk=supplier.pk)
    return render(
        request, "suppliers/supplier_form.html", {"form": form, "supplier": None}, status=status
    )


# --- one supplier --------------------------------------------------------------------------------


def _item_form_for(supplier: Supplier, item: SupplierProduct | None) -> SupplierItemForm:
    if item is None:
        return SupplierItemForm(initial={"lead_time_days": 0, "min_order_quantity": 1})
    return SupplierItemForm(
        initial={
            "product": item.product_id,
            "supplier_sku": item.supplier_sku,
            "cost": item.cost,
            "lead_time_days": item.lead_time_days,
            "min_order_quantity": format(item.min_order_quantity.normalize(), "f"),
            "is_preferred": item.is_preferred,
        }
    )


def _detail_context(
    request,
    supplier: Supplier,
    *,
    item_form: SupplierItemForm | None = None,
    editing: SupplierProduct | None = None,
) -> dict:
    items = selectors.supplier_items(supplier=supplier)
    page = Paginator(items, ITEM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "supplier": supplier,
        "page": page,
        "editing": editing,
        "product_links": _product_links(),
        "item_form": None,
        "product_options": [],
    }
    if request.can_edit:
        form = item_form or _item_form_for(supplier, editing)
        chosen = form["product"].value()
        if editing is not None:
            options = [editing.product]
        else:
            options = selectors.product_choices(business=request.business, limit=PRODUCT_CHOICES)
            if chosen and str(chosen) not in {str(p.pk) for p in options}:
                with contextlib.suppress(Product.DoesNotExist, ValidationError, ValueError):
                    options.insert(
                        0, selectors.product_for_business(business=request.business, pk=chosen)
                    )
        context |= {
            "item_form": form,
            "product_options": options,
            "chosen_product": str(chosen or ""),
        }
    return context


@member_required(Module.SUPPLIERS)
def supplier_detail(request, pk):
    supplier = _supplier_or_404(request, pk)
    editing = None
    if request.can_edit and request.GET.get("edit"):
        editing = _item_or_404(supplier, request.GET["edit"])
    return render(
        request,
        "suppliers/supplier_detail.html",
        _detail_context(request, supplier, editing=editing),
    )


@member_required(Module.SUPPLIERS, level=Level.FULL)
def supplier_edit(request, pk):
    supplier = _supplier_or_404(request, pk)
    initial = {name: getattr(supplier, name) for name in services.SUPPLIER_FIELDS}
    form = SupplierForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved, status = _save_supplier(request, form, supplier)
            if saved is not None:
                return redirect("supplier_detail", pk=supplier.pk)
    return render(
        request,
        "suppliers/supplier_form.html",
        {"form": form, "supplier": supplier},
        status=status,
    )


@require_POST
@member_required(Module.SUPPLIERS)
def supplier_toggle_active(request, pk):
    supplier = _supplier_or_404(request, pk)
    wanted = request.POST.get("active")
    active = (wanted == "1") if wanted in ("0", "1") else not supplier.is_active
    services.supplier_set_active(supplier=supplier, actor=request.user, active=active)
    if active:
        messages.success(request, _("%(name)s was reactivated.") % {"name": supplier.name})
    else:
        messages.success(
            request,
            _("%(name)s was deactivated; its catalog is kept.") % {"name": supplier.name},
        )
    return redirect("supplier_detail", pk=supplier.pk)


# --- the supplier's catalog ----------------------------------------------------------------------


@require_POST
@member_required(Module.SUPPLIERS)
def supplier_item_save(request, pk):
    """Add a product line, or change it (one line per product: it is an upsert)."""
    supplier = _supplier_or_404(request, pk)
    form = SupplierItemForm(request.POST)
    editing = None
    if request.POST.get("editing"):
        editing = _item_or_404(supplier, request.POST["editing"])
    status = 400
    if form.is_valid():
        try:
            product = selectors.product_for_business(
                business=request.business, pk=form.cleaned_data["product"]
            )
        except Product.DoesNotExist:
            form.add_error("product", _("Choose a product from the list."))
        else:
            try:
                services.supplier_item_set(
                    supplier=supplier,
                    actor=request.user,
                    product=product,
                    data=form.service_data(),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(product)s is in the catalog of %(supplier)s.")
                    % {"product": product.name, "supplier": supplier.name},
                )
                return redirect(reverse("supplier_detail", args=[supplier.pk]) + "#catalog")
    return render(
        request,
        "suppliers/supplier_detail.html",
        _detail_context(request, supplier, item_form=form, editing=editing),
        status=status,
    )


@require_POST
@member_required(Module.SUPPLIERS)
def supplier_item_remove(request, pk, item_pk):
    supplier = _supplier_or_404(request, pk)
    item = _item_or_404(supplier, item_pk)
    services.supplier_item_remove(item=item, actor=request.user)
    messages.success(
        request,
        _("%(product)s was removed from the catalog of %(supplier)s.")
        % {"product": item.product.name, "supplier": supplier.name},
    )
    return redirect(reverse("supplier_detail", args=[supplier.pk]) + "#catalog")


@require_GET
@member_required(Module.SUPPLIERS, level=Level.FULL)
def supplier_product_options(request, pk):
    """htmx: the product select's options for what was typed (name, SKU or barcode)."""
    supplier = _supplier_or_404(request, pk)
    search = request.GET.get("product_search", "")[:100]
    options = selectors.product_choices(
        business=request.business, search=search, limit=PRODUCT_CHOICES
    )
    return render(
        request,
        "suppliers/supplier_detail.html#product-options",
        {"supplier": supplier, "product_options": options, "chosen_product": ""},
    )
