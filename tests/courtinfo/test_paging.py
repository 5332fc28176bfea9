"""Pages that bring their count: the same pages as Django's Paginator, in one query."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courtinfo.models import Jurisdiction
from courtinfo.paging import CountingPaginator

pytestmark = pytest.mark.django_db

NUMBERS = [1, 2, 3, 4, "1", "3", 3.0, 0, -1, 2.5, "two", None, "", 99]


def _rows():
    return Jurisdiction.objects.order_by("code")


def _outcome(call):
    try:
        page = call()
    except (EmptyPage, PageNotAnInteger) as refusal:
        return type(refusal).__name__
    paginator = page.paginator
    return (page.number, [j.pk for j in page], paginator.count, paginator.num_pages)


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("per_page", [1, 20, 25, 1000])
def test_a_page_is_the_one_djangos_paginator_gives(number, per_page):
    assert _outcome(lambda: CountingPaginator(_rows(), per_page).page(number)) == _outcome(
        lambda: Paginator(_rows(), per_page).page(number)
    )
    assert _outcome(lambda: CountingPaginator(_rows(), per_page).get_page(number)) == _outcome(
        lambda: Paginator(_rows(), per_page).get_page(number)
    )


@pytest.mark.parametrize("number", NUMBERS)
def test_an_empty_list_pages_as_djangos_paginator_does(number):
    empty = Jurisdiction.objects.none()

    assert _outcome(lambda: CountingPaginator(empty, 10).get_page(number)) == _outcome(
        lambda: Paginator(empty, 10).get_page(number)
    )


def test_a_page_with_rows_is_read_in_one_query():
    paginator = CountingPaginator(_rows(), 10)
    total = Jurisdiction.objects.count()

    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(2)
        assert paginator.count == total
        assert page.has_next()

    assert len(captured) == 1


def test_a_page_past_the_end_is_counted_apart_and_refused():
    paginator = CountingPaginator(_rows(), 10)

    with CaptureQueriesContext(connection) as captured, pytest.raises(EmptyPage):
        paginator.page(1000)

    assert len(captured) == 2


def test_orphans_are_refused():
    with pytest.raises(ValueError, match="orphans"):
        CountingPaginator(_rows(), 10, orphans=2)
