"""Test factories for every model, in one place."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from claims import workflow
from claims.models import Citation, Claim, Source
from claims.snapshot import body_text as snapshot_body_text
from claims.snapshot import build_payload
from courtinfo.editing import workflow_writes
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
    # Every claim's text has an author (imported text is the importer's).
    author = factory.LazyFunction(lambda: _person("author-of-record", "Ann", "Author"))


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


def _person(username: str, first: str, last: str):
    # Looked up rather than built: hashing a password for every publication is slow.
    return get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )[0]


def _payload(o) -> dict:
    # Fixture state written as the workflow would have left it: verdicts and the approval
    # cover exactly the content they were given on.
    with workflow_writes():
        return _write_reviewed(o)


def _write_reviewed(o) -> dict:
    """Write the answer's claims and citations as `blocks` describes, then snapshot them.

    `blocks` is [(kind, number, [(claim text, [Source, …]), …]), …]; a claim with sources is
    supported, one without is not a claim. Claims are updated in place by position, so a second
    version of the same answer keeps its claim ids, as a real edit does.
    """
    answer = o.answer
    reviewer = _person("reviewer-of-record", "Rita", "Reviewer")
    reviewed_at = timezone.make_aware(
        datetime.datetime.combine(o.last_reviewed_on, datetime.time(12))
    )
    existing = list(answer.claims.order_by("position"))
    position = 0
    for index, (_kind, _number, claims) in enumerate(o.blocks):
        for text, cited in claims:
            claim = existing[position] if position < len(existing) else Claim(answer=answer)
            claim.text, claim.position, claim.block = text, position, index
            claim.status = Claim.Status.SUPPORTED if cited else Claim.Status.NOT_A_CLAIM
            claim.verified_by, claim.verified_at = reviewer, reviewed_at
            claim.author = claim.author or _person("author-of-record", "Ann", "Author")
            claim.save()
            claim.citations.all().delete()
            for source in cited:
                Citation.objects.create(
                    claim=claim, source=source, pinpoint="§ 1", quote=source.title
                )
            claim.verified_content = workflow.claim_content(claim)
            claim.save(update_fields=["verified_content"])
            position += 1
    Claim.objects.filter(pk__in=[claim.pk for claim in existing[position:]]).delete()
    answer.blocks = [{"kind": kind, "number": number} for kind, number, _ in o.blocks]
    answer.submitted_by = _person("editor-of-record", "Ed", "Editor")
    answer.submitted_at = answer.approved_at = reviewed_at
    answer.approved_by = reviewer
    answer.save()
    answer.approved_content = workflow.answer_content(Answer.objects.get(pk=answer.pk))
    answer.save(update_fields=["approved_content"])
    # Drop any prefetched claims so the snapshot reads what was just written.
    answer = Answer.objects.get(pk=answer.pk)
    return build_payload(
        answer,
        version=o.version,
        published_at=o.published_at,
        published_by=o.published_by,
        summary=o.summary,
        review_due_on=o.review_due_on,
    )


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
    published_by = factory.LazyFunction(lambda: _person("publisher-of-record", "Pat", "Publisher"))
    summary = ""
    review_due_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=180)
    )
    payload = factory.LazyAttribute(_payload)
    body_text = factory.LazyAttribute(lambda o: snapshot_body_text(o.payload))

    @factory.post_generation
    def live(self, create, extracted, **kwargs):
        if create and extracted is not False:
            with workflow_writes():
                Answer.objects.filter(pk=self.answer_id).update(
                    live_publication=self, status=Answer.Status.PUBLISHED
                )


def withdraw_as_the_workflow_would(publication, *, reason: str, at=None) -> None:
    """The answer of `publication` withdrawn, its fields written as withdraw_answer writes them."""
    with workflow_writes():
        Answer.objects.filter(pk=publication.answer_id).update(
            status=Answer.Status.WITHDRAWN,
            live_publication=None,
            withdrawn_reason=reason,
            withdrawn_at=at or timezone.now(),
        )
