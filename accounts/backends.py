"""The backend that checks passwords and loads the signed-in user of each request."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import backends
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from rest_framework import authentication
from rest_framework.authtoken.models import Token

from .models import Membership, User


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend, whose ``get_user`` also loads the approved membership and its
    company in the same query (a LEFT JOIN: at most one approved membership, a database
    constraint). Every signed-in page reads it (the account menu, permissions): one query a
    request, not two. Django still checks the session's auth hash against the row it returns,
    and the row is read on every request: a logout, a new password or a deactivation takes
    effect on the next request, as with Django's backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Refused here is refused: Django's own ModelBackend, listed after this one only so
            # that sessions made before it still load, would hash the same password against the
            # same row a second time (twice the work for every wrong password).
            raise PermissionDenied
        return user  # type: ignore[return-value]

    def get_user(self, user_id: Any) -> User | None:
        try:
            user_id = User._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None
        user = signed_in_user(lead=None, value=user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the user's approved membership and its company read in
    the token's query (as ``ModelBackend.get_user``). A token that does not exist or whose user
    is inactive is refused by DRF's own code, with its messages."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        token = signed_in_user(lead=Token, value=key)
        if token is None or not token.user.is_active:  # type: ignore[union-attr]
            return super().authenticate_credentials(key)  # type: ignore[no-any-return]
        return token.user, token  # type: ignore[union-attr,return-value]


# --- The one query of every signed-in request ----------------------------------------------
# Building that query with the ORM (a FilteredRelation, two select_related joins) costs more in
# Python than running it: about 0.5 ms to compile and 0.5 ms to turn the row into three models,
# on every signed-in request. Its SQL never changes, so it is written out once per process from
# the models' own metadata (every concrete column, quoted by the backend), and the row is turned
# into models with ``Model.from_db`` and each column's database converters, as the ORM does.
# tests/accounts/test_backends.py checks the result against the ORM's, field by field.


class _Part:
    """One model's columns in the joined row."""

    def __init__(self, model: type[Model], alias: str, start: int) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.start, self.stop = start, start + len(self.fields)
        quote = connection.ops.quote_name
        self.select = ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)
        # As the ORM's compiler (SQLCompiler.get_converters): the backend's, then the field's.
        columns = [field.get_col(alias) for field in self.fields]
        converters = [
            connection.ops.get_db_converters(column) + column.get_db_converters(connection) for column in columns
        ]
        self.converters = [(index, columns[index], found) for index, found in enumerate(converters) if found]

    def instance(self, row: tuple[Any, ...]) -> Model | None:
        values = list(row[self.start : self.stop])
        if values[0] is None:  # the primary key: a LEFT JOIN found nothing
            return None
        for index, column, converters in self.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return self.model.from_db(connection.alias, self.names, values)


@functools.cache
def _signed_in_query(lead: type[Model] | None) -> tuple[str, list[_Part]]:
    """The SQL and the row's parts: [lead,] user, approved membership, its company."""
    from companies.models import Company

    quote = connection.ops.quote_name
    parts: list[_Part] = []
    start = 0
    for model, alias in ((lead, "lead"), (User, "u"), (Membership, "m"), (Company, "c")):
        if model is not None:
            parts.append(_Part(model, alias, start))
            start = parts[-1].stop
    membership, company = Membership._meta, Company._meta
    user_id = f"u.{quote(User._meta.pk.column)}"  # type: ignore[union-attr]
    joins = (
        f"LEFT OUTER JOIN {quote(membership.db_table)} m ON m.{quote(membership.get_field('user').column)} = {user_id} "
        f"AND m.{quote(membership.get_field('status').column)} = %s "
        f"LEFT OUTER JOIN {quote(company.db_table)} c "
        f"ON c.{quote(company.pk.column)} = m.{quote(membership.get_field('company').column)}"  # type: ignore[union-attr]
    )
    if lead is None:
        source, where = f"{quote(User._meta.db_table)} u", f"{user_id} = %s"
    else:
        user_column = quote(lead._meta.get_field("user").column)  # type: ignore[misc]  # a model with a user field
        source = (
            f"{quote(lead._meta.db_table)} lead JOIN {quote(User._meta.db_table)} u ON {user_id} = lead.{user_column}"
        )
        where = f"lead.{quote(lead._meta.pk.column)} = %s"  # type: ignore[union-attr]
    select = ", ".join(part.select for part in parts)
    return f"SELECT {select} FROM {source} {joins} WHERE {where}", parts  # nosec B608 - identifiers from the models' metadata, quoted


def signed_in_user(*, lead: type[Model] | None, value: Any) -> Any:
    """The user whose primary key is ``value`` (``lead`` None), or the ``lead`` row (a token)
    whose primary key is ``value`` with its user: the user's approved membership and its company
    are set on the user (``User.membership``), from one query. None if there is no such row."""
    sql, parts = _signed_in_query(lead)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Membership.Status.APPROVED.value, value])
        row = cursor.fetchone()
    if row is None:
        return None
    *head, user_part, membership_part, company_part = parts
    user = user_part.instance(row)
    membership = membership_part.instance(row)
    if membership is not None:
        membership.company = company_part.instance(row)  # type: ignore[attr-defined]
    user._approved_membership = membership or False  # type: ignore[union-attr]
    if not head:
        return user
    found = head[0].instance(row)
    found.user = user  # type: ignore[union-attr]
    return found
