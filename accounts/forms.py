from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
