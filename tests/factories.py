"""Test factories for every model, in one place."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.models import Citation, Claim, Source
from courtinfo.models import Answer, Jurisdiction, Question, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


def jurisdiction(code: str = "MO") -> Jurisdiction:
    """The jurisdictions exist after migrate; tests look them up rather than make them."""
    return Jurisdiction.objects.get(code=code)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    jurisdiction = factory.LazyFunction(jurisdiction)
    topic = factory.SubFactory(TopicFactory)
    text = factory.Sequence(lambda n: f"What does rule {n} say in Missouri?")
    slug = factory.Sequence(lambda n: f"what-does-rule-{n}-say")
    position = factory.Sequence(lambda n: n + 1)
    compare_key = factory.Sequence(lambda n: f"what-does-rule-{n}-say-in")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    blocks = factory.LazyFunction(lambda: [{"kind": "paragraph", "number": None}])


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    answer = factory.SubFactory(AnswerFactory)
    text = factory.Sequence(lambda n: f"Claim number {n} is a statement of fact.")
    position = factory.Sequence(lambda n: n)
    block = 0


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")
    kind = Source.Kind.STATUTE
    citation = factory.Sequence(lambda n: f"Mo. Rev. Stat. § 67.{n}")


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    pinpoint = "subsection 1"
    quote = "The words that back the claim."
