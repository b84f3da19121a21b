from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import policies


@require_safe
def policy(request: HttpRequest, kind: str, version: str | None = None) -> HttpResponse:
    shown = policies.get(kind, version)
    return render(
        request,
        "legal/policy.html",
        {
            "policy": shown,
            "is_current": shown == policies.current(kind),
            "versions": list(reversed(policies.POLICIES[kind])),
            "officer": policies.PRIVACY_OFFICER,
            "contact": policies.SBA_CONTACT,
        },
    )


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "legal/contact.html", {"contact": policies.SBA_CONTACT, "officer": policies.PRIVACY_OFFICER})
