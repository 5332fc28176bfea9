"""Filters for lists of publications: by jurisdiction code and topic slug as published."""

import django_filters

from courtinfo.models import Publication


class PublicationFilter(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(field_name="jurisdiction__code", lookup_expr="iexact")
    topic = django_filters.CharFilter(field_name="topic_slug", lookup_expr="exact")

    class Meta:
        model = Publication
        fields = ["jurisdiction", "topic"]


class TopicFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic_slug", lookup_expr="exact")

    class Meta:
        model = Publication
        fields = ["topic"]
