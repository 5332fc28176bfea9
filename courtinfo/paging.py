"""Pages that read their rows and the count of all rows in one query.

Django's Paginator counts first (`SELECT COUNT(*)`) and then reads the page: two passes over the
same matches. A search ranks every match to order them anyway, so `COUNT(*) OVER ()` in the page's
own query counts them for nothing. Only a page past the end, which has no row to carry the count,
falls back to counting apart.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window

# The annotation that carries the count on every row of a page.
TOTAL = "page_total"


def counted_rows(queryset: QuerySet) -> Callable[[int, int], tuple[list, int | None]]:
    """For a queryset: (rows bottom..top, count of all rows, or None without a row)."""

    def read(bottom: int, top: int) -> tuple[list, int | None]:
        rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[bottom:top])
        return rows, getattr(rows[0], TOTAL) if rows else None

    return read


class CountingPaginator(Paginator):
    """A Paginator over `object_list` (a queryset, or anything with `counted_rows(bottom, top)`)
    whose pages bring their count with them."""

    def __init__(self, object_list, per_page: int, **kwargs) -> None:
        if kwargs.get("orphans"):
            raise ValueError("a page that brings its count cannot hold the next page's orphans")
        super().__init__(object_list, per_page, **kwargs)
        read = getattr(object_list, "counted_rows", None)
        self._read = read if read is not None else counted_rows(object_list)

    def page(self, number) -> Page:
        number = self._whole(number)
        bottom = (number - 1) * self.per_page
        rows, total = self._read(bottom, bottom + self.per_page)
        if total is None:
            # No row to say how many there are: the count alone says whether the page exists.
            return super().page(number)
        # What Paginator.count would have read, without reading it.
        self.__dict__["count"] = total
        return self._get_page(rows, number, self)

    def get_page(self, number) -> Page:
        """As Paginator.get_page: the first page for a value that is not a number, the last for
        one past the end."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def _whole(self, number) -> int:
        # Paginator.validate_number without the count: whether the page exists is known once read.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number
