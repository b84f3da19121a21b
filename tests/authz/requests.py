"""Sending one request of the matrix as one role, and listing the site's URL patterns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import ANONYMOUS, World, token_for


@dataclass(frozen=True)
class Check:
    """One URL pattern: how to call it, and the status each role must get."""

    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    data: Callable[[World], dict[str, Any]] | None = None
    path: str | None = None  # for patterns that cannot be reversed by name (media)


def url_names(*, skip_namespaces: tuple[str, ...] = ("admin",)) -> Iterator[str]:
    """Every named URL pattern of the site, namespaced as `reverse` takes it."""

    def walk(resolver: URLResolver, namespace: str | None) -> Iterator[str]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in skip_namespaces:
                    continue
                inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
                yield from walk(entry, inner)
            elif isinstance(entry, URLPattern):
                if entry.name is None:
                    raise AssertionError(f"URL pattern {entry.pattern} has no name: the matrix cannot list it")
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return walk(get_resolver(), None)


def send(client: Client, world: World, role: str, name: str, check: Check) -> int:
    user = world.users[role]
    path = check.path or reverse(name, kwargs=check.kwargs(world) if check.kwargs else None)
    headers: dict[str, str] = {}
    client.logout()
    if user is not None:
        if path.startswith("/api/"):
            headers["Authorization"] = f"Token {token_for(user)}"
        else:
            client.force_login(user)
    data = check.data(world) if check.data else {}
    if check.method == "get":
        response = client.get(path, data, headers=headers)
    elif check.method == "delete":
        response = client.delete(path, headers=headers)
    else:
        content_type = "application/json" if path.startswith("/api/") else None
        if content_type:
            response = client.post(path, data, content_type=content_type, headers=headers)
        else:
            response = client.post(path, data, headers=headers)
    return response.status_code


__all__ = ["ANONYMOUS", "Check", "send", "url_names"]
