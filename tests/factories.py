"""Test factories for every model, in one place."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from claims.models import Citation, Claim, Source
from courtinfo.models import Answer, Jurisdiction, Publication, Question, Topic


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


def source_entry(source: Source) -> dict:
    """A source as a publication payload lists it."""
    return {
        "id": source.pk,
        "title": source.title,
        "url": source.url,
        "kind": source.kind,
        "citation": source.citation,
        "publisher": source.publisher,
        "accessed_on": source.accessed_on.isoformat() if source.accessed_on else None,
    }


def _payload(o) -> dict:
    """A schema-1 payload: `blocks` is [(kind, number, [(claim text, [Source, …]), …]), …]."""
    question = o.answer.question
    sources: dict[int, dict] = {}
    blocks = []
    claim_id = o.answer.pk * 1000
    for kind, number, claims in o.blocks:
        block_claims = []
        for text, cited in claims:
            claim_id += 1
            citations = []
            for source in cited:
                sources.setdefault(source.pk, source_entry(source))
                citations.append({"source": source.pk, "pinpoint": "§ 1", "quote": source.title})
            block_claims.append(
                {
                    "id": claim_id,
                    "text": text,
                    "status": "supported" if citations else "not_a_claim",
                    "verified_by": "Rita Reviewer",
                    "verified_at": o.published_at.isoformat(),
                    "citations": citations,
                }
            )
        blocks.append({"kind": kind, "number": number, "claims": block_claims})
    jurisdiction = question.jurisdiction
    return {
        "schema": 1,
        "version": o.version,
        "summary": o.summary,
        "published_at": o.published_at.isoformat(),
        "published_by": o.published_by.get_full_name() or o.published_by.username,
        "review_due_on": o.review_due_on.isoformat(),
        "last_reviewed_on": o.last_reviewed_on.isoformat(),
        "jurisdiction": {
            "code": jurisdiction.code,
            "name": jurisdiction.name,
            "slug": jurisdiction.slug,
        },
        "topic": {"name": question.topic.name, "slug": question.topic.slug}
        if question.topic
        else None,
        "question": {
            "id": question.pk,
            "text": question.text,
            "slug": question.slug,
            "position": question.position,
            "compare_key": question.compare_key,
        },
        "answer": {
            "id": o.answer.pk,
            "submitted_by": "Ed Editor",
            "submitted_at": o.published_at.isoformat(),
            "approved_by": "Rita Reviewer",
            "approved_at": o.published_at.isoformat(),
        },
        "blocks": blocks,
        "sources": list(sources.values()),
        "reviewers": ["Rita Reviewer"],
    }


class PublicationFactory(factory.django.DjangoModelFactory):
    """A publication with a payload of schema 1, made live on its answer unless live=False."""

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    class Params:
        blocks = factory.LazyFunction(
            lambda: [("paragraph", None, [("Courts keep records.", [SourceFactory()])])]
        )
        last_reviewed_on = factory.LazyFunction(timezone.localdate)

    answer = factory.SubFactory(AnswerFactory)
    version = 1
    jurisdiction = factory.LazyAttribute(lambda o: o.answer.question.jurisdiction)
    topic = factory.LazyAttribute(lambda o: o.answer.question.topic)
    question_slug = factory.LazyAttribute(lambda o: o.answer.question.slug)
    question_text = factory.LazyAttribute(lambda o: o.answer.question.text)
    compare_key = factory.LazyAttribute(lambda o: o.answer.question.compare_key)
    position = factory.LazyAttribute(lambda o: o.answer.question.position)
    published_at = factory.LazyFunction(timezone.now)
    # Looked up rather than built: hashing a password for every publication is slow.
    published_by = factory.LazyFunction(
        lambda: get_user_model().objects.get_or_create(username="publisher-of-record")[0]
    )
    summary = ""
    review_due_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=180)
    )
    payload = factory.LazyAttribute(_payload)
    body_text = factory.LazyAttribute(
        lambda o: " ".join(
            [o.question_text] + [text for _, _, claims in o.blocks for text, _ in claims]
        )
    )

    @factory.post_generation
    def live(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Answer.objects.filter(pk=self.answer_id).update(
                live_publication=self, status=Answer.Status.PUBLISHED
            )
