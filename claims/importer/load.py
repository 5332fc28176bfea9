"""Loads parsed documents into the database as draft questions, answers and claims."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.template.defaultfilters import pluralize
from django.utils.text import slugify

from claims.importer.parse import (
    MAX_FILE_BYTES,
    Block,
    ParsedDocument,
    ParsedQuestion,
    ParseError,
    fingerprint,
    make_compare_key,
    parse_document,
)
from claims.models import Citation, Claim, Review
from courtinfo.jurisdictions import (
    find_jurisdiction,
    infer_jurisdiction,
    named_jurisdictions,
    names_for,
)
from courtinfo.models import Answer, Jurisdiction, Question, Topic

SLUG_MAX = 200
# The account imports are made by when no person is named (import_qa without --by).
IMPORTER_USERNAME = "importer"
# Room left under the limit for a "-2", "-3" … that keeps a slug unique in its jurisdiction.
_SLUG_ROOM = 8
_SOURCE_FILE_MAX = 255


@dataclass
class LoadReport:
    """What loading one document did, or, for a dry run, would have done."""

    name: str
    questions: int = 0
    questions_created: int = 0
    questions_updated: int = 0
    questions_unchanged: int = 0
    claims_created: int = 0
    claims_updated: int = 0
    claims_unchanged: int = 0
    claims_deleted: int = 0
    # (question number, sentence) for each answer the import left alone.
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    # Positions of questions in the database that the document no longer has; left alone.
    missing: list[int] = field(default_factory=list)
    dry_run: bool = False

    # Where the document went: its jurisdiction and topic, as the import chose them.
    jurisdiction: Jurisdiction | None = None
    topic: Topic | None = None
    # Jurisdictions the questions name that differ from the one chosen by hand.
    others_named: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.questions_created or self.questions_updated)

    def summary(self) -> str:
        """One line saying where the document went and what changed."""
        where = f"{self.jurisdiction.name} ({self.jurisdiction.code})" if self.jurisdiction else ""
        if self.topic is not None:
            where += f", topic “{self.topic.name}”"
        conflicts = len(self.conflicts)
        return (
            f"{self.name}: {where}: {self.questions} question{pluralize(self.questions)} "
            f"({self.questions_created} new, {self.questions_updated} updated, "
            f"{self.questions_unchanged} unchanged, {conflicts} conflict{pluralize(conflicts)}); "
            f"claims {self.claims_created} new, {self.claims_updated} updated, "
            f"{self.claims_unchanged} unchanged, {self.claims_deleted} removed"
        )

    def warnings(self) -> list[str]:
        """The things a person should look at: conflicts, missing questions, other states."""
        lines = [f"conflict: question {number}: {sentence}" for number, sentence in self.conflicts]
        if self.missing:
            numbers = ", ".join(str(number) for number in self.missing)
            lines.append(
                f"questions {numbers} are in the database but not in this file; left alone"
            )
        if self.others_named:
            lines.append(
                f"imported as {self.jurisdiction.name}, the jurisdiction chosen, "
                "though its questions name " + ", ".join(self.others_named)
            )
        return lines


class ImportRefused(Exception):
    """A document that cannot be imported; the message names it. Nothing was written."""


class JurisdictionUnclear(ImportRefused):
    """The questions name no jurisdiction, or several: the person has to choose one."""


def importer_account():
    """Return the account that imports made for no named person are written by, creating it.

    It cannot log in and holds no role. An existing account of that name that a person can
    use is refused rather than made the author of text it did not import.
    """
    users = get_user_model()
    account, created = users.objects.get_or_create(
        username=IMPORTER_USERNAME,
        defaults={
            "first_name": "Imported document",
            "is_active": False,
            "is_staff": False,
            "password": make_password(None),
        },
    )
    if not created and (account.is_active or account.is_staff or account.has_usable_password()):
        raise ImportRefused(
            f"The account “{IMPORTER_USERNAME}”, which writes imports that name no person, "
            "is an account a person can log in with; name the person who imports, or rename "
            "that account."
        )
    return account


def read_document(path: str | Path) -> ParsedDocument:
    """Read and parse a document file; every problem is a ParseError naming the file."""
    name = str(path)
    path = Path(path)
    try:
        if path.is_dir():
            raise ParseError(name, None, "is a directory; name the files in it instead")
        if not path.exists():
            raise ParseError(name, None, "no such file")
        if not path.is_file():
            raise ParseError(name, None, "is not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(
                name, None, f"the file is {size:,} bytes long; the limit is {MAX_FILE_BYTES:,}"
            )
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ParseError(name, None, f"cannot be read ({error.strerror or error})") from None
    return parse_document(data, name=name)


def jurisdiction_named(value: str) -> Jurisdiction | None:
    """Return the jurisdiction with this postal code or name, in any case, or None."""
    row = find_jurisdiction(value)
    if row is None:
        return None
    return Jurisdiction.objects.filter(code=row[0]).first()


def inferred_jurisdiction(document: ParsedDocument) -> Jurisdiction:
    """Return the one jurisdiction the document's questions name; ValueError if none or several."""
    code = infer_jurisdiction(question.text for question in document.questions)
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise ValueError(f"The jurisdiction {code} is not in the database; run migrate.")
    return jurisdiction


def clean_topic_name(name: str) -> str:
    """Return the topic name with its spaces tidied; ValueError when it cannot be a topic."""
    name = " ".join(name.split())
    if not slugify(name):
        raise ValueError("A topic name needs at least one letter or digit.")
    if len(name) > Topic._meta.get_field("name").max_length:
        raise ValueError("A topic name is at most 200 characters long.")
    return name


def topic_named(name: str) -> Topic:
    """Return the topic with this name (any case) or slug, creating it when there is none."""
    name = clean_topic_name(name)
    topic = Topic.objects.filter(name__iexact=name).first()
    if topic is None:
        topic, _ = Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return topic


def import_document(
    document: ParsedDocument,
    *,
    jurisdiction: Jurisdiction | None = None,
    topic_name: str | None = None,
    dry_run: bool = False,
    user=None,
) -> LoadReport:
    """Import one parsed document: choose its jurisdiction and topic, load it, in one transaction.

    The command and the admin's import page both go through here. `user` is the person who
    imports: the author of every claim the import writes (the importer account when None).
    Raises ImportRefused (or JurisdictionUnclear) with a message naming the document; nothing
    is written then.
    """
    limit = settings.COURTINFO_IMPORT_MAX_QUESTIONS
    if len(document.questions) > limit:
        first = document.questions[limit]
        raise ImportRefused(
            f"{document.name}:{first.line}: question {first.number} is one too many; a document "
            f"holds at most {limit} questions (COURTINFO_IMPORT_MAX_QUESTIONS)"
        )
    others: list[str] = []
    if jurisdiction is None:
        try:
            jurisdiction = inferred_jurisdiction(document)
        except ValueError as error:
            raise JurisdictionUnclear(f"{document.name}: {error}") from None
    else:
        named = named_jurisdictions(question.text for question in document.questions)
        if named and jurisdiction.code not in named:
            others = named
    try:
        with transaction.atomic():
            # Created inside the file's transaction: a refused or dry-run import leaves no topic.
            topic = topic_named(topic_name) if topic_name is not None else None
            report = load_document(
                document, jurisdiction=jurisdiction, topic=topic, dry_run=dry_run, user=user
            )
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError as error:
        raise ImportRefused(f"{document.name}: the database refused the import ({error})") from None
    report.jurisdiction, report.topic, report.others_named = jurisdiction, topic, others
    return report


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run."""


def load_document(
    document: ParsedDocument,
    *,
    jurisdiction: Jurisdiction,
    topic: Topic | None,
    dry_run: bool = False,
    user=None,
) -> LoadReport:
    """Write a parsed document's questions as drafts, in one transaction, and say what changed.

    Questions are matched by jurisdiction, topic and position. An unchanged answer is not
    written; an answer that a person edited, verified or cited since the import, that has any
    workflow event, or that is no longer a draft, is reported as a conflict and left alone.
    The claims it writes are authored by `user`, or by the importer account when None.
    """
    report = LoadReport(name=document.name, questions=len(document.questions), dry_run=dry_run)
    try:
        with transaction.atomic():
            by = user if user is not None else importer_account()
            _Loader(document, jurisdiction=jurisdiction, topic=topic, user=by).run(report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def current_fingerprint(answer: Answer, claims: list[Claim] | None = None) -> str:
    """Return the fingerprint of an answer's content as it is now in the database.

    It is built the way parse.fingerprint builds it from a document, so it equals the answer's
    import_fingerprint until a person changes the question, the blocks or a claim.
    """
    if claims is None:
        claims = list(answer.claims.order_by("position", "pk"))
    return fingerprint(_as_parsed(answer.question, answer.blocks, claims))


def _as_parsed(question: Question, blocks: list[dict], claims: list[Claim]) -> ParsedQuestion:
    texts: dict[int, list[str]] = defaultdict(list)
    for claim in sorted(claims, key=lambda claim: (claim.position, claim.pk or 0)):
        texts[claim.block].append(claim.text)
    kinds = [(block.get("kind"), block.get("number")) for block in blocks]
    # A claim pointing past the last block still counts, so such an edit shows as a change.
    kinds.extend((None, None) for _ in range(len(kinds), max(texts, default=-1) + 1))
    return ParsedQuestion(
        number=question.position,
        line=0,
        text=question.text,
        blocks=tuple(
            Block(kind=kind, number=number, line=0, text="", claims=tuple(texts.get(index, ())))
            for index, (kind, number) in enumerate(kinds)
        ),
    )


def make_slug(text: str, *, taken: set[str], fallback: str) -> str:
    """Return a slug of the text at most 200 characters long that is not in taken."""
    base = _truncate(slugify(text), SLUG_MAX - _SLUG_ROOM) or fallback
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def question_compare_key(text: str, jurisdiction: Jurisdiction) -> str:
    """Return the compare key of a question asked of this jurisdiction, at most 200 characters."""
    try:
        names = {jurisdiction.name, *names_for(jurisdiction.code)}
    except KeyError:
        names = {jurisdiction.name}
    return _truncate(make_compare_key(text, names), SLUG_MAX)


def _truncate(slug: str, limit: int) -> str:
    """Cut a slug to the limit at a hyphen where one is near, so no word is cut in half."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")
    return (slug[:cut] if cut > limit // 2 else slug[:limit]).strip("-")


# The only columns an update writes: content and who wrote it, never a status or a verdict.
_QUESTION_FIELDS = ["text", "slug", "compare_key", "source_file", "updated_by", "updated_at"]
_ANSWER_FIELDS = ["blocks", "import_fingerprint", "updated_by", "updated_at"]
_CLAIM_FIELDS = ["text", "block", "author", "updated_by", "updated_at"]


def _lock(answer: Answer) -> tuple[Answer, list[Claim]] | None:
    """Lock the question, the answer, then its claims; None if the answer is gone meanwhile.

    The order is the one every other writer takes: the admin saves a question and then reopens
    its answer; the workflow locks an answer and then its claim. The answer comes back read
    after the locks, with its question and whether it has citations and workflow events.
    """
    Question.objects.select_for_update().filter(pk=answer.question_id).order_by().exists()
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question")
        .annotate(
            has_citations=Exists(Citation.objects.filter(claim__answer=OuterRef("pk"))),
            has_reviews=Exists(Review.objects.filter(answer=OuterRef("pk"))),
        )
        .filter(pk=answer.pk)
        .first()
    )
    if answer is None:
        return None
    claims = Claim.objects.select_for_update().filter(answer=answer).order_by("position", "pk")
    return answer, list(claims)


def _conflict(answer: Answer, claims: list[Claim]) -> str:
    """Why the import leaves a locked answer alone, or "" when it may update it.

    Any sign of a person's work counts, so an edit undone by hand or a verdict taken back
    still does.
    """
    if answer.status != Answer.Status.DRAFT:
        return (
            f"the answer is {answer.get_status_display().lower()}, "
            "so the import does not change it; left alone"
        )
    if current_fingerprint(answer, claims) != answer.import_fingerprint:
        return "a person edited the answer since it was imported; left alone"
    if any(claim.status != Claim.Status.UNVERIFIED for claim in claims):
        return "claims were verified since the import; left alone"
    if answer.has_citations:
        return "claims were given citations since the import; left alone"
    if answer.has_reviews:
        return "the answer has workflow events (edits, reviews) since the import; left alone"
    return ""


def _claims_of(question: ParsedQuestion) -> list[tuple[int, str]]:
    return [(index, text) for index, block in enumerate(question.blocks) for text in block.claims]


def _blocks_of(question: ParsedQuestion) -> list[dict]:
    return [{"kind": block.kind, "number": block.number} for block in question.blocks]


class _Loader:
    def __init__(self, document: ParsedDocument, *, jurisdiction, topic, user) -> None:
        self.document = document
        self.jurisdiction = jurisdiction
        self.topic = topic
        self.user = user
        self.source_file = document.name.replace("\\", "/").rsplit("/", 1)[-1][:_SOURCE_FILE_MAX]

    def run(self, report: LoadReport) -> None:
        existing = self._existing_questions()
        self.slugs = dict(
            Question.objects.filter(jurisdiction=self.jurisdiction).values_list("slug", "pk")
        )
        for parsed in self.document.questions:
            question = existing.pop(parsed.number, None)
            if question is None:
                self._create(parsed, report)
            else:
                self._update(question, parsed, report)
        report.missing = sorted(existing)

    def _existing_questions(self) -> dict[int, Question]:
        """The questions already there, by position, read without locks to find what changed."""
        claims = Claim.objects.order_by("position", "pk")
        questions = (
            Question.objects.filter(jurisdiction=self.jurisdiction, topic=self.topic)
            .select_related("answer")
            .prefetch_related(Prefetch("answer__claims", queryset=claims))
            .order_by("position", "pk")
        )
        found: dict[int, Question] = {}
        for question in questions:
            found.setdefault(question.position, question)
        return found

    def _revision(self):
        # The file's transaction already wraps every answer, so no savepoint per revision.
        return reversion.create_revision(manage_manually=True, atomic=False)

    def _record(self, question: Question, answer: Answer) -> None:
        reversion.set_comment(f"Imported from {self.source_file}")
        reversion.set_user(self.user)
        # The answer follows its claims and their citations: read them fresh, in three queries;
        # its repr is its question's text.
        reversion.add_to_revision(question)
        reversion.add_to_revision(
            Answer.objects.select_related("question")
            .prefetch_related("claims__citations")
            .get(pk=answer.pk)
        )

    def _create(self, parsed: ParsedQuestion, report: LoadReport) -> None:
        with self._revision():
            question = Question.objects.create(
                jurisdiction=self.jurisdiction,
                topic=self.topic,
                position=parsed.number,
                text=parsed.text,
                slug=self._slug(parsed.text, parsed.number, pk=None),
                compare_key=question_compare_key(parsed.text, self.jurisdiction),
                source_file=self.source_file,
                updated_by=self.user,
            )
            self.slugs[question.slug] = question.pk
            answer = Answer.objects.create(
                question=question,
                blocks=_blocks_of(parsed),
                import_fingerprint=fingerprint(parsed),
                updated_by=self.user,
            )
            claims = Claim.objects.bulk_create(
                self._new_claim(answer, position, block, text)
                for position, (block, text) in enumerate(_claims_of(parsed))
            )
            self._record(question, answer)
        report.questions_created += 1
        report.claims_created += len(claims)

    def _update(self, question: Question, parsed: ParsedQuestion, report: LoadReport) -> None:
        answer = getattr(question, "answer", None)
        if answer is None:
            report.conflicts.append(
                (parsed.number, "the question exists without an answer; left alone")
            )
            return
        claims = list(answer.claims.all())
        new = fingerprint(parsed)
        current = current_fingerprint(answer, claims)
        if new in (answer.import_fingerprint, current):
            # The document brings nothing new: the answer stays as it is, edited or not.
            if current == new and answer.import_fingerprint != new:
                Answer.objects.filter(pk=answer.pk).update(import_fingerprint=new)
            report.questions_unchanged += 1
            report.claims_unchanged += len(claims)
            return
        # Read without a lock, the answer may have been edited since: decide on it as locked.
        locked = _lock(answer)
        if locked is None:
            report.conflicts.append((parsed.number, "the answer was deleted meanwhile; left alone"))
            return
        answer, claims = locked
        question = answer.question
        reason = _conflict(answer, claims)
        if reason:
            report.conflicts.append((parsed.number, reason))
            return
        with self._revision():
            if question.text != parsed.text:
                self.slugs.pop(question.slug, None)
                question.text = parsed.text
                question.slug = self._slug(parsed.text, parsed.number, pk=question.pk)
                question.compare_key = question_compare_key(parsed.text, self.jurisdiction)
                self.slugs[question.slug] = question.pk
            question.source_file = self.source_file
            question.updated_by = self.user
            question.save(update_fields=_QUESTION_FIELDS)
            answer.blocks = _blocks_of(parsed)
            answer.import_fingerprint = new
            answer.updated_by = self.user
            answer.save(update_fields=_ANSWER_FIELDS)
            self._update_claims(answer, claims, _claims_of(parsed), report)
            self._record(question, answer)
        report.questions_updated += 1

    def _update_claims(
        self,
        answer: Answer,
        claims: list[Claim],
        wanted: list[tuple[int, str]],
        report: LoadReport,
    ) -> None:
        for claim, (block, text) in zip(claims, wanted, strict=False):
            if claim.text == text and claim.block == block:
                report.claims_unchanged += 1
                continue
            claim.text, claim.block = text, block
            claim.author = claim.updated_by = self.user
            claim.save(update_fields=_CLAIM_FIELDS)
            report.claims_updated += 1
        surplus = claims[len(wanted) :]
        if surplus:
            Claim.objects.filter(pk__in=[claim.pk for claim in surplus]).delete()
            report.claims_deleted += len(surplus)
        created = Claim.objects.bulk_create(
            self._new_claim(answer, position, block, text)
            for position, (block, text) in enumerate(wanted)
            if position >= len(claims)
        )
        report.claims_created += len(created)

    def _new_claim(self, answer: Answer, position: int, block: int, text: str) -> Claim:
        return Claim(
            answer=answer,
            text=text,
            position=position,
            block=block,
            author=self.user,
            updated_by=self.user,
        )

    def _slug(self, text: str, number: int, *, pk: int | None) -> str:
        taken = {slug for slug, owner in self.slugs.items() if owner != pk}
        return make_slug(text, taken=taken, fallback=f"question-{number}")
