from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at the field when it names one the form
    has, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
