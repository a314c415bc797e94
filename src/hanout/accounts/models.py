"""People and what they may do: users, memberships (employees), module access,
permission requests, identity documents and API tokens."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from hanout.core.ids import uuid7
from hanout.core.models import BusinessOwned
from hanout.core.permissions import ROLE_DEFAULTS, Level, Module, Role, allows


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. What they may do lives on their memberships."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text=_("Can open the operator's Django admin.")
    )
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Membership(BusinessOwned):
    """A user's employment in a business: role, job, register code and PIN.

    This is the "employee profile": deactivating it ends the person's access
    to that business without touching their account or history.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    employee_code = models.CharField(
        _("employee code"),
        max_length=8,
        blank=True,
        help_text=_("Short number typed at the register, e.g. 14."),
    )
    pin_hash = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="membership_unique_user"),
            models.UniqueConstraint(
                fields=["business", "employee_code"],
                condition=~models.Q(employee_code=""),
                name="membership_unique_code",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(employee_code__regex=r"^[0-9]{0,8}$"),
                name="membership_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    @cached_property
    def levels(self) -> dict[str, str]:
        """Effective level per module. Uses prefetched overrides when present."""
        base = dict(ROLE_DEFAULTS[self.role])
        if self.role == Role.OWNER:
            return base
        for access in self.module_access.all():
            base[access.module] = access.level
        return base

    def level(self, module: str) -> str:
        return self.levels[module]

    def allows(self, module: str, needed: str = Level.READ) -> bool:
        return self.is_active and allows(self.levels[module], needed)

    def can_read(self, module: str) -> bool:
        return self.allows(module, Level.READ)

    def can_edit(self, module: str) -> bool:
        return self.allows(module, Level.FULL)


class ModuleAccess(BusinessOwned):
    """A per-employee override of the role's default level for one module."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="module_access"
    )
    module = models.CharField(max_length=16, choices=Module.choices)
    level = models.CharField(max_length=8, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "module"], name="module_access_unique"),
            models.CheckConstraint(
                condition=models.Q(module__in=Module.values), name="module_access_module"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="module_access_level"
            ),
        ]


class WorkHistoryKind(models.TextChoices):
    HIRED = "hired", _("Hired")
    ROLE_CHANGED = "role_changed", _("Role changed")
    TITLE_CHANGED = "title_changed", _("Job title changed")
    DEACTIVATED = "deactivated", _("Deactivated")
    REACTIVATED = "reactivated", _("Reactivated")
    NOTE = "note", _("Note")


class WorkHistoryEntry(BusinessOwned):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="work_history"
    )
    happened_on = models.DateField()
    kind = models.CharField(max_length=16, choices=WorkHistoryKind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-happened_on", "-created_at"]


class PermissionRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class PermissionRequest(BusinessOwned):
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="permission_requests"
    )
    module = models.CharField(max_length=16, choices=Module.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    reason = models.TextField(blank=True, max_length=1000)
    status = models.CharField(
        max_length=8,
        choices=PermissionRequestStatus.choices,
        default=PermissionRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "module"],
                condition=models.Q(status="pending"),
                name="permission_request_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[Level.READ, Level.FULL]),
                name="permission_request_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.get_module_display()} ({self.get_level_display()})"


def _private_storage():
    return storages["private"]


class IdentityDocument(BusinessOwned):
    """The manager's identity document from registration: seen by owners only."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="identity_documents")
    file = models.FileField(storage=_private_storage, upload_to="identity/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
