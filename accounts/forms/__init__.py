from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.utils import timezone

from accounts import selectors, services


class SignInForm(AuthenticationForm):
    """Email and password, with labels and autocomplete hints a password manager understands."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "That email address and password do not match an account. "
            "Check them and try again; passwords are case-sensitive."
        ),
        "inactive": "This account has been deactivated. Ask your scheme coordinator.",
    }


GOOD_CHOICE_HELP = (
    "At least 12 characters. Avoid common passwords and anything like your name or email "
    "address. A few unrelated words together are easy to remember and hard to guess."
)


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you sign in with. We will email you a link to choose a password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )


class ChoosePasswordForm(SetPasswordForm):
    """Choose a password from an emailed link (a reset, or a new account's invitation)."""

    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        help_text=GOOD_CHOICE_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        error_messages={"required": "Enter a new password."},
    )
    new_password2 = forms.CharField(
        label="New password again",
        strip=False,
        help_text="Type the same password again, to be sure there is no typing mistake.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the new password again."},
    )

    error_messages = {
        "password_mismatch": "The two passwords are not the same. Type them again.",
    }

    def clean(self) -> dict[str, Any]:
        # Problems with the password itself belong next to the first box, not the second.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self) or {}


class ChangePasswordForm(ChoosePasswordForm, PasswordChangeForm):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "Enter your current password."},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    error_messages = {
        **ChoosePasswordForm.error_messages,
        "password_incorrect": "That is not your current password. Type it again.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].widget.attrs.pop("autofocus", None)


class ConfirmPasswordForm(forms.Form):
    """Sudo mode: the signed-in person types their password again."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "Enter your password."},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        user = self.request.user
        # Through authenticate(), so that wrong passwords here count towards the lockout too.
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise ValidationError("That is not your password. Type it again.", code="wrong")
        return password


class CodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)


class TwoFactorSetupForm(forms.Form):
    code = CodeField(
        label="6-digit code from the app",
        help_text="The code changes every 30 seconds; enter the one showing now.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "class": "code-input",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        self.key = key
        self.step: int | None = None
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError("Enter the 6 digits the app shows, like 123456.", code="format")
        self.step = services.totp_verify_key(key=self.key, token=code)
        if self.step is None:
            raise ValidationError(
                "That code is not right. Check the app shows ivscheme, and that your phone's "
                "clock is set automatically, then enter the code showing now.",
                code="wrong",
            )
        return code


class TwoFactorVerifyForm(forms.Form):
    code = CodeField(
        label="Code",
        help_text=(
            "The 6-digit code from your authenticator app, or one of your backup codes "
            "(8 letters and numbers)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "class": "code-input"}
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        self.device: Any = None
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        wait_until = selectors.two_factor_wait_until(
            user=self.user, backup_code=services.is_backup_code(code)
        )
        if wait_until is not None and wait_until > timezone.now():
            seconds = math.ceil((wait_until - timezone.now()).total_seconds())
            raise ValidationError(
                f"Too many wrong codes. Wait {seconds} second{pluralize(seconds)}, then try again.",
                code="wait",
            )
        self.device = services.two_factor_verify(user=self.user, token=code)
        if self.device is None:
            raise ValidationError(
                "That code is not right. Enter the code showing in your app now, or a backup "
                "code you have not used before.",
                code="wrong",
            )
        return code
