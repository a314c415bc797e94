"""Customers: the people and companies a shop sells to by name.

The base that orders, invoices and the CRM (loyalty, trust, segments) build on.
A customer is optional on a register ticket and required on an order and an
invoice issued to a company.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from hanout.core.models import BusinessOwned


class Customer(BusinessOwned):
    name = models.CharField(_("name"), max_length=160)
    is_company = models.BooleanField(_("company"), default=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)  # E.164 when set
    email = models.EmailField(_("email"), max_length=254, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    tax_id = models.CharField(_("tax / VAT number"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Lower-cased, accent-free "name phone email tax id" for search (kept by the services).
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["business", "name"], name="customer_name"),
            models.Index(fields=["business", "phone"], name="customer_phone"),
            models.Index(Lower("email"), "business", name="customer_email"),
        ]

    def __str__(self) -> str:
        return self.name
