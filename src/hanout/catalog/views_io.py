"""Catalog pages for files: import (products, stock levels) with a preview, export of
the explorer's list to CSV/XLSX, and barcode label sheets as PDF.

Import is upload → preview (a dry run: nothing written) → confirm (the valid rows
applied in one transaction) → result, each step its own URL so a reload never
applies twice. The uploaded file lives in private storage under a token of this
business and person (catalog.import_files); another business's token is a 404.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hanout.catalog import exports, import_files, imports, labels
from hanout.catalog.import_files import FileRefused
from hanout.catalog.models import Product
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.pages import member_required
from hanout.core.permissions import Level, Module

ERRORS_SHOWN = 200
LABEL_SEARCH_RESULTS = 20


# --- import ---------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        error_messages={"empty": gettext_lazy("The file is empty.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.ms-excel,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    create_categories = forms.BooleanField(
        label=gettext_lazy("Create missing categories"),
        required=False,
        help_text=gettext_lazy(
            "A category path that does not exist yet is created instead of refusing the row."
        ),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != "products":
            del self.fields["create_categories"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_files.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files.")
                % {"mb": import_files.MAX_BYTES // (1024 * 1024)}
            )
        return upload


KINDS = {
    # kind → (module, URL name prefix, plan function, apply function)
    "products": (Module.CATALOG, "catalog_import"),
    "stock": (Module.STOCK, "catalog_import_stock"),
}


def _plan(kind: str, *, business, raw: bytes, options: dict) -> imports.ImportPlan:
    if kind == "products":
        return imports.product_import_plan(
            business=business, raw=raw, create_categories=bool(options.get("create_categories"))
        )
    return imports.stock_import_plan(business=business, raw=raw)


def _load(request, kind: str, token: str):
    try:
        upload, raw = import_files.upload_load(
            business=request.business, user=request.user, token=token
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if upload.kind != kind:
        raise Http404
    return upload, raw


def _columns_help(kind: str) -> list:
    return list(import_files.PRODUCT_COLUMNS if kind == "products" else import_files.STOCK_COLUMNS)


def _upload(request, kind: str):
    prefix = KINDS[kind][1]
    form = ImportForm(request.POST or None, request.FILES or None, kind=kind)
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        options = {"create_categories": bool(form.cleaned_data.get("create_categories"))}
        try:
            # Checked now so a malformed file is refused at once; nothing is kept of it.
            _plan(kind, business=request.business, raw=raw, options=options)
        except FileRefused as exc:
            refused = exc.message
        else:
            token = import_files.upload_store(
                business=request.business,
                user=request.user,
                kind=kind,
                filename=upload.name or "",
                raw=raw,
                options=options,
            )
            return redirect(f"{prefix}_preview", token=token)
    return render(
        request,
        "catalog/import_upload.html",
        {
            "form": form,
            "kind": kind,
            "prefix": prefix,
            "refused": refused,
            "columns": _columns_help(kind),
            "max_rows": import_files.MAX_ROWS,
            "max_mb": import_files.MAX_BYTES // (1024 * 1024),
        },
        status=400 if refused or form.errors else 200,
    )


def _preview(request, kind: str, token: str):
    upload, raw = _load(request, kind, token)
    prefix = KINDS[kind][1]
    if upload.options.get("applied_at") or upload.options.get("running_since"):
        return _done(request, kind, upload)
    options = dict(upload.options)
    if "create_categories" in request.GET and kind == "products":
        options["create_categories"] = request.GET.get("create_categories") == "1"
    try:
        plan = _plan(kind, business=request.business, raw=raw, options=options)
    except FileRefused as exc:  # the catalog changed since the upload in a way that refuses it
        import_files.upload_delete(business=request.business, user=request.user, token=token)
        messages.error(request, exc.message)
        return redirect(prefix)
    errors = list(plan.error_lines())
    return render(
        request,
        "catalog/import_preview.html",
        {
            "kind": kind,
            "prefix": prefix,
            "upload": upload,
            "plan": plan,
            "options": options,
            "preview_rows": plan.rows[: imports.PREVIEW_ROWS],
            "errors": errors[:ERRORS_SHOWN],
            "errors_total": len(errors),
            "counts": {
                "create": plan.count("create"),
                "update": plan.count("update"),
                "unchanged": plan.count("unchanged"),
                "error": plan.count("error"),
                "total": len(plan.rows),
            },
            "expires_at": upload.uploaded_at + import_files.UPLOAD_TTL,
        },
    )


def _confirm(request, kind: str, token: str):
    upload, raw = _load(request, kind, token)
    prefix = KINDS[kind][1]
    options = upload.options
    if options.get("applied_at") or options.get("running_since"):
        return redirect(f"{prefix}_preview", token=token)
    lock = f"hanout:import:{request.business.pk}:{token}"
    if not cache.add(lock, 1, timeout=600):
        messages.warning(request, _("This import is already being applied."))
        return redirect(f"{prefix}_preview", token=token)
    try:
        choices = {"running_since": timezone.now().isoformat()}
        if kind == "products":
            choices["create_categories"] = request.POST.get("create_categories") == "1"
        import_files.upload_set_options(
            business=request.business, user=request.user, token=token, **choices
        )
        if kind == "products" and raw.count(b"\n") > imports.INLINE_ROWS:
            from hanout.catalog.tasks import import_apply_job

            import_apply_job(str(request.business.pk), str(request.user.pk), token)
        else:
            imports.import_run(business=request.business, user=request.user, token=token)
    finally:
        cache.delete(lock)
    return redirect(f"{prefix}_preview", token=token)


def _done(request, kind: str, upload):
    result = upload.options.get("result") or {}
    errors = result.get("errors") or []
    return render(
        request,
        "catalog/import_done.html",
        {
            "kind": kind,
            "prefix": KINDS[kind][1],
            "upload": upload,
            "result": result,
            "errors": errors[:ERRORS_SHOWN],
            "errors_total": len(errors),
            "running": not upload.options.get("applied_at"),
        },
    )


def _errors_csv(request, kind: str, token: str):
    upload, raw = _load(request, kind, token)
    if upload.options.get("applied_at"):
        lines = [tuple(e) for e in (upload.options.get("result") or {}).get("errors") or []]
    else:
        try:
            plan = _plan(kind, business=request.business, raw=raw, options=upload.options)
        except FileRefused as exc:
            lines = [(1, "", exc.message)]
        else:
            lines = list(plan.error_lines())
    # Each error with the rejected row as it was in the file: fix the cells in this
    # file, delete the first three columns and import it again.
    try:
        table = import_files.read_table(raw, upload.filename)
    except FileRefused:
        table = None
    headers = table.headers if table is not None else []
    cells = dict(table.rows) if table is not None else {}
    body = exports.csv_bytes(
        [_("row"), _("column"), _("message"), *headers],
        [
            [number, column, message, *cells.get(int(number), [])]
            for number, column, message in lines
        ],
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stem = (upload.filename.rsplit(".", 1)[0] or "import")[:60]
    response["Content-Disposition"] = _attachment(f"{stem}-errors.csv")
    return response


def _cancel(request, kind: str, token: str):
    _load(request, kind, token)
    import_files.upload_delete(business=request.business, user=request.user, token=token)
    messages.info(request, _("The import was cancelled; nothing was changed."))
    return redirect(KINDS[kind][1])


@require_http_methods(["GET", "HEAD", "POST"])
@member_required(Module.CATALOG, level=Level.FULL)
def catalog_import(request):
    return _upload(request, "products")


@require_GET
@member_required(Module.CATALOG, level=Level.FULL)
def catalog_import_preview(request, token):
    return _preview(request, "products", token)


@require_POST
@member_required(Module.CATALOG, level=Level.FULL)
def catalog_import_confirm(request, token):
    return _confirm(request, "products", token)


@require_GET
@member_required(Module.CATALOG, level=Level.FULL)
def catalog_import_errors(request, token):
    return _errors_csv(request, "products", token)


@require_POST
@member_required(Module.CATALOG, level=Level.FULL)
def catalog_import_cancel(request, token):
    return _cancel(request, "products", token)


@require_http_methods(["GET", "HEAD", "POST"])
@member_required(Module.STOCK, level=Level.FULL)
def catalog_import_stock(request):
    return _upload(request, "stock")


@require_GET
@member_required(Module.STOCK, level=Level.FULL)
def catalog_import_stock_preview(request, token):
    return _preview(request, "stock", token)


@require_POST
@member_required(Module.STOCK, level=Level.FULL)
def catalog_import_stock_confirm(request, token):
    return _confirm(request, "stock", token)


@require_GET
@member_required(Module.STOCK, level=Level.FULL)
def catalog_import_stock_errors(request, token):
    return _errors_csv(request, "stock", token)


@require_POST
@member_required(Module.STOCK, level=Level.FULL)
def catalog_import_stock_cancel(request, token):
    return _cancel(request, "stock", token)


@require_GET
@member_required(Module.CATALOG)
def catalog_import_template(request):
    """An empty file with the import's columns, to fill in."""
    kind = "stock" if request.GET.get("kind") == "stock" else "products"
    header = [c.key for c in _columns_help(kind)]
    body = exports.csv_bytes(header, [])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"{kind}-template.csv")
    return response


# --- export ---------------------------------------------------------------------------------


def _attachment(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def _streamed(request, chunks):
    """A streamed body: an async iterator under ASGI (uvicorn), a plain one otherwise."""
    from django.core.handlers.asgi import ASGIRequest

    if not isinstance(request, ASGIRequest):
        return chunks

    from asgiref.sync import sync_to_async

    def next_chunk():
        return next(chunks, None)

    async def pieces():
        while True:
            piece = await sync_to_async(next_chunk, thread_sensitive=True)()
            if piece is None:
                return
            yield piece

    return pieces()


@require_GET
@member_required(Module.CATALOG)
def catalog_export(request):
    """The explorer's list (same filters) as CSV (streamed) or XLSX."""
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    business = request.business
    products = exports.export_queryset(business=business, params=request.GET)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        out = exports.products_xlsx(business=business, products=products)
        return FileResponse(
            out,
            as_attachment=True,
            filename=f"products-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    chunks = (
        piece.encode("utf-8")
        for piece in exports.products_csv(business=business, products=products)
    )
    response = StreamingHttpResponse(
        _streamed(request, chunks), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _attachment(f"products-{stamp}.csv")
    response["Cache-Control"] = "private, no-store"
    return response


# --- labels ---------------------------------------------------------------------------------


def _products_by_id(request, ids) -> dict:
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not valid:
        return {}
    found = (
        Product.objects.for_business(request.business)
        .filter(pk__in=valid[: labels.MAX_LABELS])
        .prefetch_related("barcodes")
    )
    return {str(p.pk): p for p in found}


def _quantity(value) -> int:
    try:
        return max(0, min(int(value), labels.MAX_PER_PRODUCT))
    except (TypeError, ValueError):
        return 0


@require_http_methods(["GET", "HEAD", "POST"])
@member_required(Module.CATALOG, level=Level.READ)  # printing labels changes nothing
def catalog_labels(request):
    """Choose products and quantities and a sheet layout; POST answers the PDF."""
    business = request.business
    source = request.POST if request.method == "POST" else request.GET
    ids = list(dict.fromkeys(source.getlist("product")))
    products = _products_by_id(request, ids)
    chosen = [(products[i], _quantity(source.get(f"qty-{i}", 1))) for i in ids if i in products]
    layout_key = (
        source.get("layout") if source.get("layout") in labels.LAYOUTS else labels.DEFAULT_LAYOUT
    )
    layout = labels.LAYOUTS[layout_key]
    skip = min(_quantity(source.get("skip", 0)), layout.per_page - 1)
    error = ""
    if request.method == "POST":
        try:
            items = labels.label_items(business=business, chosen=chosen, layout=layout)
        except ValidationFailed as exc:
            error = exc.message
        else:
            pdf = labels.labels_pdf(business=business, items=items, layout=layout, skip=skip)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="labels.pdf"'
            return response
    rows = [
        {
            "product": p,
            "quantity": q,
            "code": labels.label_code(p),
            "price": labels.format_price(p.sale_price, business),
        }
        for p, q in chosen
    ]
    return render(
        request,
        "catalog/labels.html",
        {
            "rows": rows,
            "layouts": labels.LAYOUTS.values(),
            "layout": layout,
            "skip": skip,
            "error": error,
            "max_labels": labels.MAX_LABELS,
        },
        status=400 if error else 200,
    )


@require_GET
@member_required(Module.CATALOG, level=Level.READ)
def catalog_labels_search(request):
    """htmx: products matching the search, each with an "add" button."""
    from hanout.catalog import selectors

    query = (request.GET.get("q") or "").strip()[:100]
    results = []
    if query:
        results = list(
            selectors.product_list(business=request.business, search=query, active=None)[
                :LABEL_SEARCH_RESULTS
            ]
        )
    return render(
        request,
        "catalog/labels.html#results",
        {"results": results, "query": query},
    )


@require_GET
@member_required(Module.CATALOG, level=Level.READ)
def catalog_labels_row(request, pk):
    """htmx: one table row for a product added to the sheet (empty with ?remove=1)."""
    if request.GET.get("remove"):
        return HttpResponse("")
    if str(pk) in request.GET.getlist("product"):  # already on the sheet: add nothing
        return HttpResponse(status=204)
    products = _products_by_id(request, [pk])
    product = products.get(str(pk))
    if product is None:
        raise Http404
    row = {
        "product": product,
        "quantity": 1,
        "code": labels.label_code(product),
        "price": labels.format_price(product.sale_price, request.business),
    }
    return render(request, "catalog/labels.html#row", {"row": row})
