"""Forms of the catalog pages. They check the shape of what was typed; the services
(catalog.services) decide what is allowed and say why not."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.catalog.models import BarcodeKind, Unit
from hanout.core.errors import ValidationFailed
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES

# The explorer's sorts: value in the URL (also catalog.selectors.ORDERINGS' key, which
# gives the keyset columns) → label.
SORTS = {
    "name": _("Name"),
    "price": _("Price, low to high"),
    "-price": _("Price, high to low"),
    "-created": _("Newest first"),
}


def flatten_tree(nodes: list[dict], depth: int = 0) -> list[tuple[dict, int]]:
    """The category tree (selectors.category_tree) in reading order with each node's depth."""
    out: list[tuple[dict, int]] = []
    for node in nodes:
        out.append((node, depth))
        out.extend(flatten_tree(node.get("children") or [], depth + 1))
    return out


def category_choices(tree: list[dict], *, blank: str) -> list[tuple[str, str]]:
    """Choices for a <select>, indented by depth so the tree reads in the list."""
    return [("", blank)] + [
        (str(node["id"]), "\u2003" * depth + ("· " if depth else "") + node["name"])
        for node, depth in flatten_tree(tree)
    ]


class ExplorerFilterForm(forms.Form):
    """The explorer's search, filters, sort and view; every value lives in the URL."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # The category is chosen in the tree beside the form (shown as a removable
    # chip), not in a <select> of every category: a hidden field keeps it in the URL.
    category = forms.ChoiceField(label=_("Category"), required=False, widget=forms.HiddenInput)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    low = forms.BooleanField(label=_("Low stock"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(SORTS.items()),
    )
    view = forms.ChoiceField(
        required=False, choices=[("", _("Cards")), ("table", _("Table"))], widget=forms.HiddenInput
    )

    def __init__(self, *args, tree, tags, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(tree, blank=_("All categories"))
        self.fields["tag"].choices = [("", _("All tags"))] + [(str(t.pk), t.name) for t in tags]
        self.fields["supplier"].choices = [("", _("All suppliers"))] + [
            (str(s.pk), s.name) for s in suppliers
        ]

    def value(self, name: str):
        """The cleaned value, or the empty default when the URL held something invalid."""
        if not self.is_bound:
            return ""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        if name in self.errors:
            return ""
        return self.cleaned_data.get(name) or ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _split_tags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sku = forms.CharField(
        label=_("SKU / article number"),
        max_length=64,
        required=False,
        help_text=_("The number typed on the register keypad, e.g. 1234."),
    )
    sale_price = forms.DecimalField(
        label=_("Sale price (tax included)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    cost = forms.DecimalField(
        label=_("Cost"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        required=False,
        help_text=_("Updated by stock receipts (weighted average)."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    tax_rate = forms.DecimalField(
        label=_("Tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    category = forms.ChoiceField(label=_("Category"), required=False)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. organic, breakfast. New tags are created."),
    )
    brand = forms.CharField(label=_("Brand"), max_length=120, required=False)
    model = forms.CharField(label=_("Model"), max_length=120, required=False)
    colour = forms.CharField(label=_("Colour"), max_length=60, required=False)
    size = forms.CharField(label=_("Size"), max_length=60, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(
        label=_("Active (sold and listed)"), required=False, initial=True
    )
    images = MultipleImageField(
        label=_("Add images"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 10 MB each. You can choose several."),
    )

    def __init__(self, *args, business, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business
        self.category_ids = {str(node["id"]) for node, _depth in flatten_tree(tree)}
        self.fields["category"].choices = category_choices(tree, blank=_("No category"))

    def clean_category(self):
        from hanout.catalog import selectors

        value = self.cleaned_data.get("category")
        if not value:
            return None
        if value not in self.category_ids:
            raise forms.ValidationError(_("Choose a category from the list."))
        return selectors.category_get(business=self.business, pk=value)

    def clean_tags(self):
        return _split_tags(self.cleaned_data.get("tags") or "")

    def service_data(self) -> dict:
        """What catalog.services.product_create/product_update take (barcodes added by the view)."""
        data = dict(self.cleaned_data)
        data.pop("images", None)
        for name in ("description", "sku", "model", "brand", "colour", "size"):
            data[name] = (data.get(name) or "").strip()
        for name in ("cost", "tax_rate"):
            if data.get(name) is None:
                data[name] = 0
        return data


class BarcodeForm(forms.Form):
    code = forms.CharField(
        label=_("Barcode"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "dir": "ltr",
                "autocapitalize": "off",
            }
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Automatic")), *BarcodeKind.choices],
    )

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip()
        if not code or data.get("DELETE"):
            return data
        from hanout.catalog.services import barcode_parse

        try:
            data["code"], data["kind"] = barcode_parse(code, data.get("kind") or None)
        except ValidationFailed as exc:
            messages = exc.fields.get("kind") if "kind" in exc.fields else None
            self.add_error("kind" if messages else "code", exc.message)
        return data


class BaseBarcodeFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("code")
            if not code or form.cleaned_data.get("DELETE"):
                continue
            if code in seen:
                form.add_error("code", _("This barcode is listed twice."))
            seen.add(code)

    def barcodes(self) -> list[dict]:
        return [
            {"code": f.cleaned_data["code"], "kind": f.cleaned_data["kind"]}
            for f in self.forms
            if f.cleaned_data.get("code") and not f.cleaned_data.get("DELETE")
        ]

    def rows_with_code(self) -> list[BarcodeForm]:
        """The rows that carry a code, in the order their codes go to the service."""
        return [
            f
            for f in self.forms
            if (f.cleaned_data or {}).get("code") and not (f.cleaned_data or {}).get("DELETE")
        ]


BarcodeFormSet = forms.formset_factory(
    BarcodeForm, formset=BaseBarcodeFormSet, extra=0, can_delete=True, max_num=50
)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = forms.CharField(required=False, widget=forms.HiddenInput)


class CategoryRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=120)
