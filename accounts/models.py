"""People who sign in. Email is the login; roles come from scheme memberships."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import new_public_id


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("full name", max_length=200)
    phone = models.CharField("phone number", max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    # Django admin access only; it has nothing to do with being scheme staff.
    is_staff = models.BooleanField("admin site access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class _Named(models.Model):
    """An organisation or a scheme: known by its name, listed by it."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return str(getattr(self, "name", ""))


class Organisation(_Named):
    """A charity or council that runs one or more schemes."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=200, unique=True)

    history = HistoricalRecords()


class Scheme(_Named):
    """One IV scheme, usually one per local-authority contract. Every case record belongs to
    exactly one scheme, and a person sees a scheme's data only through a role in it."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="schemes")
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    local_authority = models.CharField("local authority", max_length=200)
    looked_after_children = models.PositiveIntegerField(
        "looked-after children in the local authority",
        default=0,
        help_text="For the share of looked-after children who have an IV.",
    )
    out_of_hours_phone = models.CharField("out-of-hours number", max_length=40, blank=True)

    history = HistoricalRecords()


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    MANAGER = "manager", "Manager"
    INDEPENDENT_VISITOR = "iv", "Independent visitor"
    SOCIAL_WORKER = "social_worker", "Social worker"
    COMPLAINTS_MANAGER = "complaints_manager", "Complaints manager"
    # The organisation's data protection officer: retention, legal holds, subject access
    # requests and the records of processing, for every scheme of the organisation.
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer"


class ManagerLevel(models.TextChoices):
    TEAM = "team", "Team manager"
    SERVICE = "service", "Service manager"


class Membership(models.Model):
    """A person's role in one scheme. A person may hold roles in several schemes."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    manager_level = models.CharField(
        max_length=10, choices=ManagerLevel.choices, blank=True, default=""
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme__name", "role"]
        constraints = [
            # One live membership per person, scheme and role.
            models.UniqueConstraint(
                fields=["user", "scheme", "role"],
                condition=models.Q(is_active=True),
                name="membership_one_active_role_per_scheme",
            ),
            # A manager is a team manager or a service manager (two separate sign-offs);
            # nobody else has a manager level.
            models.CheckConstraint(
                condition=(
                    models.Q(role="manager", manager_level__in=["team", "service"])
                    | (~models.Q(role="manager") & models.Q(manager_level=""))
                ),
                name="membership_manager_level_only_for_managers",
            ),
        ]
        indexes = [
            # Every request resolves the signed-in person's active memberships.
            models.Index(fields=["user", "is_active"], name="membership_user_active_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.role_label} in {self.scheme}"

    @property
    def role_label(self) -> str:
        if self.role == Role.MANAGER and self.manager_level:
            return ManagerLevel(self.manager_level).label
        return Role(self.role).label

    @property
    def rank(self) -> int:
        return role_rank(self.role, self.manager_level)


def role_rank(role: str, manager_level: str = "") -> int:
    """How senior a role is, for "nobody can grant a role above their own"."""
    if role == Role.MANAGER:
        return 3 if manager_level == ManagerLevel.SERVICE else 2
    if role == Role.COORDINATOR:
        return 1
    if role in (Role.COMPLAINTS_MANAGER, Role.DATA_PROTECTION_OFFICER):
        # Granted only by a service manager: the complaints manager sees complaints about
        # coordinators; the data protection officer sees every record's retention.
        return 3
    return 0


class UserSession(models.Model):
    """One signed-in browser: made at sign-in, touched (at most once a minute) while in use,
    deleted at sign-out, at expiry or when the person ends it from "Your sessions".

    The session key is the key of Django's session store, so ending a session here can delete
    it there too. Pages address a session by its public id, never by its key.
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    created_at = models.DateTimeField("signed in", default=timezone.now)
    last_seen_at = models.DateTimeField("last active", default=timezone.now)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField("browser", max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [
            # "Your sessions" and ending every session of a person.
            models.Index(fields=["user", "-last_seen_at"], name="usersession_user_seen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} signed in at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        """A short name for the browser, like "Firefox on Windows"."""
        # Here, not at the top: accounts.sessions imports these models.
        from accounts.sessions import describe_user_agent

        return describe_user_agent(self.user_agent)
