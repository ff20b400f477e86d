"""What every search backend provides, and the SQL expression the native ones share."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Expression, F, Field, QuerySet
from django.db.models.expressions import Col

from .query import ParsedQuery

# Kinds of record, each backed by one model: claims.search maps models to these.
KINDS = ("claim", "statement", "source", "actor")

# The column holding a row's tsvector on PostgreSQL (not declared on the models).
VECTOR_COLUMN = "search_vector"


class SearchBackend:
    name: str

    def search(
        self,
        queryset: QuerySet,
        kind: str,
        query: ParsedQuery,
        *,
        candidates: int | None = None,
    ) -> QuerySet:
        """`queryset` restricted to matches and annotated with `search_rank`; with
        `candidates`, to the matches among the `candidates` most recently added
        matching records of the kind (the highest ids)."""
        raise NotImplementedError

    def snippets(
        self, kind: str, ids: Sequence[int], query: ParsedQuery, *, using: str
    ) -> dict[int, str]:
        """HTML snippets, matches in <mark>, of those of `ids` that match `query`."""
        raise NotImplementedError


class RowSQL(Expression):
    """Vendor SQL about each row of the query it is used in.

    `{pk}` stands for the row's primary key and `{vector}` for its search_vector
    column, both qualified with whatever alias the row's table has in that query
    (so the expression survives being used in a subquery). `params` fill the `%s`
    placeholders of `sql`, in order.
    """

    def __init__(self, sql: str, params: Sequence[str], output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.sql = sql
        self.params = tuple(params)
        self.pk = F("pk")

    def get_source_expressions(self) -> list:
        return [self.pk]

    def set_source_expressions(self, exprs: list) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        pk_sql, pk_params = compiler.compile(self.pk)
        # A Col has no parameters; anything else would misplace ours.
        assert not pk_params, "the primary key compiled with parameters"
        vector = connection.ops.quote_name(VECTOR_COLUMN)
        if isinstance(self.pk, Col) and self.pk.alias:
            vector = f"{compiler.quote_name_unless_alias(self.pk.alias)}.{vector}"
        sql = self.sql.replace("{pk}", pk_sql).replace("{vector}", vector)
        return f"({sql})", list(self.params)
