"""Loads parsed documents into the database as draft questions, answers and claims."""

from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction
from django.db.models import Case, Exists, OuterRef, Prefetch, Value, When, prefetch_related_objects
from django.template.defaultfilters import pluralize
from django.utils import timezone
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
from claims.importer.revision import given_as_prefetched, store_revision
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


def make_slug(text: str, *, taken: Container[str], fallback: str) -> str:
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


def _lock(answers: list[Answer]) -> dict[int, tuple[Answer, list[Claim]]]:
    """Lock the questions, the answers, then their claims; answers gone meanwhile are left out.

    The order is the one every other writer takes: the admin saves a question and then reopens
    its answer; the workflow locks an answer and then its claim. Rows of one table are locked in
    id order. Each answer comes back read after the locks, with its question, whether it has
    citations and workflow events, and its claims in order.
    """
    questions = Question.objects.select_for_update().filter(
        pk__in=[answer.question_id for answer in answers]
    )
    # Only the locks are wanted here; the questions are read with their answers below.
    list(questions.order_by("pk").values_list("pk", flat=True))
    locked = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question")
        .annotate(
            has_citations=Exists(Citation.objects.filter(claim__answer=OuterRef("pk"))),
            has_reviews=Exists(Review.objects.filter(answer=OuterRef("pk"))),
        )
        .filter(pk__in=[answer.pk for answer in answers])
        .order_by("pk")
    )
    found = {answer.pk: (answer, []) for answer in locked}
    claims = Claim.objects.select_for_update().filter(answer__in=list(found))
    for claim in claims.order_by("answer", "position", "pk"):
        found[claim.answer_id][1].append(claim)
    return found


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


@dataclass
class _Update:
    """A question of the document whose answer the import rewrites, as locked."""

    parsed: ParsedQuestion
    answer: Answer
    claims: list[Claim]
    # Whether the question's text, so its slug, changes.
    renamed: bool = False


class _Loader:
    """Writes one document in a fixed number of queries: each table in bulk, one revision."""

    def __init__(self, document: ParsedDocument, *, jurisdiction, topic, user) -> None:
        self.document = document
        self.jurisdiction = jurisdiction
        self.topic = topic
        self.user = user
        self.source_file = document.name.replace("\\", "/").rsplit("/", 1)[-1][:_SOURCE_FILE_MAX]
        self.fingerprints = {parsed.number: fingerprint(parsed) for parsed in document.questions}
        # Answers a person edited into what the document now says: their new import fingerprint.
        self.caught_up: dict[int, str] = {}

    def run(self, report: LoadReport) -> None:
        existing = self._existing_questions()
        self.slugs = dict(
            Question.objects.filter(jurisdiction=self.jurisdiction).values_list("slug", "pk")
        )
        # The document's new questions (None) and changed answers, in its order.
        plan: list[tuple[ParsedQuestion, Answer | None]] = []
        for parsed in self.document.questions:
            question = existing.pop(parsed.number, None)
            if question is None:
                plan.append((parsed, None))
                continue
            answer = self._changed_answer(question, parsed, report)
            if answer is not None:
                plan.append((parsed, answer))
        report.missing = sorted(existing)
        self._catch_up_fingerprints()
        work = self._decide(plan, report)
        # Conflicts are found in two passes; the report lists them in the document's order.
        report.conflicts.sort(key=lambda conflict: conflict[0])
        if work:
            self._write(work, report)

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

    def _changed_answer(
        self, question: Question, parsed: ParsedQuestion, report: LoadReport
    ) -> Answer | None:
        """The question's answer if the document changes it; else None, counted in the report."""
        answer = getattr(question, "answer", None)
        if answer is None:
            report.conflicts.append(
                (parsed.number, "the question exists without an answer; left alone")
            )
            return None
        claims = list(answer.claims.all())
        new = self.fingerprints[parsed.number]
        current = current_fingerprint(answer, claims)
        if new not in (answer.import_fingerprint, current):
            return answer
        # The document brings nothing new: the answer stays as it is, edited or not.
        if current == new and answer.import_fingerprint != new:
            self.caught_up[answer.pk] = new
        report.questions_unchanged += 1
        report.claims_unchanged += len(claims)
        return None

    def _catch_up_fingerprints(self) -> None:
        if self.caught_up:
            Answer.objects.filter(pk__in=self.caught_up).update(
                import_fingerprint=Case(
                    *(When(pk=pk, then=Value(new)) for pk, new in self.caught_up.items())
                )
            )

    def _decide(
        self, plan: list[tuple[ParsedQuestion, Answer | None]], report: LoadReport
    ) -> list[ParsedQuestion | _Update]:
        """What to write, in the document's order: the new questions, and the changed answers
        that are still as imported once locked (read without a lock, one may have been edited
        since); the others are conflicts."""
        changed = [answer for _parsed, answer in plan if answer is not None]
        locked = _lock(changed) if changed else {}
        work: list[ParsedQuestion | _Update] = []
        for parsed, answer in plan:
            if answer is None:
                work.append(parsed)
            elif answer.pk not in locked:
                report.conflicts.append(
                    (parsed.number, "the answer was deleted meanwhile; left alone")
                )
            elif reason := _conflict(*locked[answer.pk]):
                report.conflicts.append((parsed.number, reason))
            else:
                work.append(_Update(parsed, *locked[answer.pk]))
        return work

    def _write(self, work: list[ParsedQuestion | _Update], report: LoadReport) -> None:
        now = timezone.now()
        new: list[tuple[ParsedQuestion, Question]] = []
        updates: list[_Update] = []
        # Slugs are given in the document's order, as they were one question at a time.
        for item in work:
            if isinstance(item, _Update):
                self._rewrite_question(item, now)
                updates.append(item)
            else:
                new.append((item, self._new_question(item)))
        self._save_questions(updates)
        written = self._update_answers(updates, now, report)
        kept = [claim for _answer, claims in written for claim in claims if claim.pk is not None]
        added = [claim for _answer, claims in written for claim in claims if claim.pk is None]
        written += self._create(new, added, report)
        report.questions_updated += len(updates)
        self._record(written, kept)

    def _rewrite_question(self, update: _Update, now) -> None:
        question = update.answer.question
        if question.text != update.parsed.text:
            question.text = update.parsed.text
            question.slug = self._slug(update.parsed, pk=question.pk)
            question.compare_key = question_compare_key(question.text, self.jurisdiction)
            update.renamed = True
        question.source_file = self.source_file
        question.updated_by = self.user
        question.updated_at = now

    def _save_questions(self, updates: list[_Update]) -> None:
        # The slug a renamed question gives up may be a later one's, and no row may take a slug
        # another still holds: renamed questions one at a time, in order, before new ones.
        for update in updates:
            if update.renamed:
                Question.objects.bulk_update([update.answer.question], _QUESTION_FIELDS)
        Question.objects.bulk_update(
            [update.answer.question for update in updates if not update.renamed],
            _QUESTION_FIELDS,
        )

    def _update_answers(
        self, updates: list[_Update], now, report: LoadReport
    ) -> list[tuple[Answer, list[Claim]]]:
        """Rewrite the answers and their claims, matched by position; returns each answer with
        the claims it has now, those it gains not saved yet."""
        answers, changed, surplus, written = [], [], [], []
        for update in updates:
            answer, claims, wanted = update.answer, update.claims, _claims_of(update.parsed)
            answer.blocks = _blocks_of(update.parsed)
            answer.import_fingerprint = self.fingerprints[update.parsed.number]
            answer.updated_by = self.user
            answer.updated_at = now
            answers.append(answer)
            for claim, (block, text) in zip(claims, wanted, strict=False):
                if claim.text == text and claim.block == block:
                    report.claims_unchanged += 1
                    continue
                claim.text, claim.block = text, block
                claim.author = claim.updated_by = self.user
                claim.updated_at = now
                changed.append(claim)
            surplus.extend(claim.pk for claim in claims[len(wanted) :])
            added = [
                self._new_claim(answer, position, block, text)
                for position, (block, text) in enumerate(wanted)
                if position >= len(claims)
            ]
            written.append((answer, claims[: len(wanted)] + added))
        Answer.objects.bulk_update(answers, _ANSWER_FIELDS)
        Claim.objects.bulk_update(changed, _CLAIM_FIELDS)
        if surplus:
            Claim.objects.filter(pk__in=surplus).delete()
        report.claims_updated += len(changed)
        report.claims_deleted += len(surplus)
        return written

    def _new_question(self, parsed: ParsedQuestion) -> Question:
        return Question(
            jurisdiction=self.jurisdiction,
            topic=self.topic,
            position=parsed.number,
            text=parsed.text,
            slug=self._slug(parsed, pk=None),
            compare_key=question_compare_key(parsed.text, self.jurisdiction),
            source_file=self.source_file,
            updated_by=self.user,
        )

    def _create(
        self, new: list[tuple[ParsedQuestion, Question]], claims: list[Claim], report: LoadReport
    ) -> list[tuple[Answer, list[Claim]]]:
        """Insert the new questions, their answers, their claims and `claims`; returns each new
        answer with its claims."""
        claims = list(claims)
        created: list[tuple[Answer, list[Claim]]] = []
        questions = Question.objects.bulk_create(question for _parsed, question in new)
        answers = Answer.objects.bulk_create(
            Answer(
                question=question,
                blocks=_blocks_of(parsed),
                import_fingerprint=self.fingerprints[parsed.number],
                updated_by=self.user,
            )
            for (parsed, _unsaved), question in zip(new, questions, strict=True)
        )
        for (parsed, _question), answer in zip(new, answers, strict=True):
            own = [
                self._new_claim(answer, position, block, text)
                for position, (block, text) in enumerate(_claims_of(parsed))
            ]
            created.append((answer, own))
            claims.extend(own)
        Claim.objects.bulk_create(claims)
        report.questions_created += len(answers)
        report.claims_created += len(claims)
        return created

    def _record(self, written: list[tuple[Answer, list[Claim]]], kept: list[Claim]) -> None:
        """One revision of the document: each question and answer written, with its claims.

        The revision is made of the rows as this transaction holds them in memory, not read
        back: the database changes none of what is stored of them (no column of theirs has a
        database default or a trigger that writes it; the answer's blocks keep their keys in
        the order jsonb gives them, "kind" then "number").
        """
        for answer, claims in written:
            # The order answer.claims reads them in (Claim.Meta.ordering), ties by id.
            claims.sort(key=lambda claim: (claim.position, claim.pk))
            given_as_prefetched(answer, "claims", claims)
        # A claim made here has no citations. One the import kept had none when its answer was
        # locked, but one may have been added before the claim's own lock: read them.
        kept_ids = {claim.pk for claim in kept}
        for _answer, claims in written:
            for claim in claims:
                if claim.pk not in kept_ids:
                    given_as_prefetched(claim, "citations", [])
        if kept:
            citations = Citation.objects.select_related("source")
            prefetch_related_objects(kept, Prefetch("citations", queryset=citations))
        written.sort(key=lambda item: (item[0].question.position, item[0].pk))
        store_revision(
            (obj for answer, _claims in written for obj in (answer.question, answer)),
            user=self.user,
            comment=f"Imported from {self.source_file}",
        )

    def _new_claim(self, answer: Answer, position: int, block: int, text: str) -> Claim:
        # By id: bulk_create needs no related objects, and setting one costs a router check.
        return Claim(
            answer_id=answer.pk,
            text=text,
            position=position,
            block=block,
            author_id=self.user.pk,
            updated_by_id=self.user.pk,
        )

    def _slug(self, parsed: ParsedQuestion, *, pk: int | None) -> str:
        """A slug no other question of the jurisdiction has, taken for the question `pk`."""
        if pk is not None:
            for slug in [slug for slug, owner in self.slugs.items() if owner == pk]:
                del self.slugs[slug]
        slug = make_slug(parsed.text, taken=self.slugs, fallback=f"question-{parsed.number}")
        self.slugs[slug] = pk
        return slug
