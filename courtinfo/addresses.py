"""Addresses of pages named by slugs: reversed once per language, then filled in.

Django's reverse() walks the URL resolver on every call (about 30 µs here), and a list links every
row it shows: a sitemap section reversed a thousand addresses. Django has no cache for reversals,
so this keeps one: an address differs from another of the same view only in its slugs, so it is
reversed once per view, language, script prefix and URL configuration (all that a reversal reads)
with placeholders, and each row's slugs take their places. A value the slug converter would not
take, or an address the placeholders do not survive, is reversed as before, and fails as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# What the slug converter matches; such a value is never quoted in an address.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
# Slugs no page is named by, each written once in a reversed address.
_PLACEHOLDER = "{name}-0placeholder0"


def address(view: str, *args: str, **kwargs: str) -> str:
    """reverse(view, args=args, kwargs=kwargs), for values that are slugs."""
    urlconf = get_urlconf(settings.ROOT_URLCONF)
    values = args or tuple(kwargs.values())
    slugs = all(isinstance(value, str) and _SLUG.match(value) for value in values)
    # Both at once is refused by reverse(), below.
    if slugs and not (args and kwargs):
        split = _split(view, len(args), tuple(kwargs), get_language(), get_script_prefix(), urlconf)
        if split is not None:
            pieces, order = split
            filled = [pieces[0]]
            for index, piece in zip(order, pieces[1:], strict=True):
                filled += [values[index], piece]
            return "".join(filled)
    return reverse(view, args=args or None, kwargs=kwargs or None, urlconf=urlconf)


@lru_cache(maxsize=512)
def _split(
    view: str,
    arg_count: int,
    names: tuple[str, ...],
    language: str | None,
    script_prefix: str,
    urlconf: str,
) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The address of `view` cut around its values, and which value goes in each cut, in the
    address's order; None if it cannot be cut so."""
    holes = [_PLACEHOLDER.format(name=n) for n in (names or map(str, range(arg_count)))]
    try:
        if names:
            text = reverse(view, kwargs=dict(zip(names, holes, strict=True)), urlconf=urlconf)
        else:
            text = reverse(view, args=holes, urlconf=urlconf)
    except NoReverseMatch:
        return None
    # Each placeholder written once, or the address is not its values in a fixed frame.
    if any(text.count(hole) != 1 for hole in holes):
        return None
    order = tuple(sorted(range(len(holes)), key=lambda index: text.index(holes[index])))
    pieces, rest = [], text
    for index in order:
        before, _, rest = rest.partition(holes[index])
        pieces.append(before)
    return (*pieces, rest), order
