"""Tests for the import_qa management command."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Revision, Version

from claims.models import Claim
from courtinfo.models import Answer, Question, Topic
from tests.factories import UserFactory

SEED = Path(settings.BASE_DIR) / "claims" / "demo" / "missouri-courts-ice.txt"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
VARIATIONS = FIXTURES / "variations.txt"
KANSAS = FIXTURES / "kansas.txt"

pytestmark = pytest.mark.django_db


def run(*args: object) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_qa", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def rows() -> dict[str, int]:
    models = (Topic, Question, Answer, Claim, Revision, Version)
    return {model.__name__: model.objects.count() for model in models}


def write(tmp_path: Path, data: bytes, name: str = "bad.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        pytest.param(b"Some notes.\nMore notes.\n", "", "no question found", id="no-question"),
        pytest.param(b"", "", "no question found", id="empty"),
        pytest.param(b"\n  \n\n", "", "no question found", id="blank"),
        pytest.param(
            b"1. Is it so in Missouri?\n2. Is it not so in Missouri?\nNo.\n",
            ":1",
            "question 1 has no answer",
            id="question-without-answer",
        ),
        pytest.param(
            b"1. Is it so in Missouri?\nYes.\n3. Is it not so in Missouri?\nNo.\n",
            ":3",
            "question 2 was expected",
            id="wrong-number",
        ),
        pytest.param(
            b"Preface.\n1. Is it so in Missouri?\nYes.\n",
            ":1",
            "text before the first question",
            id="text-before-first-question",
        ),
        pytest.param(
            b"1. Is it so in Missouri?\nYes \xff no.\n", ":2", "not UTF-8", id="undecodable"
        ),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":3", "binary", id="binary"),
        pytest.param(
            b"1. Is it so in Missouri?\nYes\x07.\n", ":2", "control character", id="control"
        ),
        pytest.param(
            b"1. Is it so in Missouri?\n" + b"word " * 6000 + b"\n",
            ":2",
            "characters long",
            id="very-long-line",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_name_and_line_and_nothing_written(
    tmp_path, data, where, message
):
    run(VARIATIONS)
    before = rows()
    path = write(tmp_path, data)

    out, err, error = run(path, "--topic", "New topic")

    assert error is not None
    assert f"{path}{where}: " in err
    assert message in err
    assert "Traceback" not in err
    assert rows() == before


def test_a_missing_file_is_refused(tmp_path):
    _out, err, error = run(tmp_path / "nowhere.txt")

    assert error is not None
    assert f"{tmp_path / 'nowhere.txt'}: no such file" in err


def test_a_directory_is_refused(tmp_path):
    _out, err, error = run(tmp_path)

    assert error is not None
    assert f"{tmp_path}: is a directory" in err


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path, VARIATIONS.read_bytes(), "locked.txt")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    # Root reads files whatever their mode, so the refusal is simulated.
    monkeypatch.setattr(Path, "open", refuse)
    _out, err, error = run(path)
    monkeypatch.undo()

    assert error is not None
    assert f"{path}: cannot be read (Permission denied)" in err
    assert not Question.objects.exists()


def test_a_file_naming_no_state_needs_a_jurisdiction(tmp_path):
    path = write(tmp_path, b"1. Is the clerk open on Fridays?\nYes.\n", "nostate.txt")

    _out, err, error = run(path)

    assert error is not None
    assert f"{path}: No state" in err and "--jurisdiction" in err
    assert not Question.objects.exists()


def test_a_file_naming_several_states_needs_a_jurisdiction(tmp_path):
    data = b"1. Is it so in Missouri?\nYes.\n2. Is it so in Kansas?\nNo.\n"
    path = write(tmp_path, data, "two.txt")

    _out, err, error = run(path)

    assert error is not None
    assert f"{path}: Several jurisdictions" in err
    assert not Question.objects.exists()


def test_jurisdiction_option_takes_a_code_or_a_name(tmp_path):
    path = write(tmp_path, b"1. Is the clerk open on Fridays?\nYes.\n", "nostate.txt")

    out, _err, error = run(path, "--jurisdiction", "kansas")

    assert error is None
    assert "Kansas (KS)" in out
    assert Question.objects.get().jurisdiction.code == "KS"


def test_jurisdiction_option_wins_but_warns_when_the_questions_name_another():
    out, _err, error = run(VARIATIONS, "--jurisdiction", "KS")

    assert error is None
    assert "imported as Kansas, the jurisdiction chosen, though its questions name MO" in out
    assert Question.objects.filter(jurisdiction__code="KS").count() == 3


def test_an_unknown_jurisdiction_is_refused_before_any_file_is_read():
    with pytest.raises(CommandError, match="Unknown jurisdiction 'Atlantis'"):
        call_command("import_qa", str(VARIATIONS), "--jurisdiction", "Atlantis")
    assert not Question.objects.exists()


def test_topic_is_created_once_with_a_slug():
    run(VARIATIONS, "--topic", "Juvenile records")
    run(KANSAS, "--topic", "juvenile records")

    topic = Topic.objects.get()
    assert (topic.name, topic.slug) == ("Juvenile records", "juvenile-records")
    assert Question.objects.filter(topic=topic).count() == 5


def test_a_topic_without_letters_is_refused():
    with pytest.raises(CommandError, match="--topic"):
        call_command("import_qa", str(VARIATIONS), "--topic", "?!")
    assert not Question.objects.exists()


def test_without_a_topic_the_questions_have_none():
    run(VARIATIONS)

    assert not Question.objects.filter(topic__isnull=False).exists()


def test_summary_names_the_file_and_counts_questions_and_claims():
    out, err, error = run(SEED, "--topic", "State courts and immigration enforcement")

    assert error is None and err == ""
    claims = Claim.objects.count()
    assert f"{SEED}: Missouri (MO)" in out
    assert "20 questions (20 new, 0 updated, 0 unchanged, 0 conflicts)" in out
    assert f"claims {claims} new, 0 updated, 0 unchanged, 0 removed" in out


def test_second_import_of_the_same_file_says_unchanged():
    run(SEED)
    before = rows()

    out, _err, error = run(SEED)

    assert error is None
    assert "(0 new, 0 updated, 20 unchanged, 0 conflicts)" in out
    assert rows() == before


def test_conflicts_are_listed_with_their_question_number(tmp_path):
    run(VARIATIONS)
    Claim.objects.filter(answer__question__position=2, position=0).update(text="Edited.")
    changed = VARIATIONS.read_text().replace("A star bullet.", "A starred bullet.")
    path = write(tmp_path, changed.encode(), "variations.txt")

    out, _err, error = run(path)

    assert error is None
    assert "conflict: question 2: a person edited the answer" in out
    assert Claim.objects.filter(text="Edited.").exists()
    assert not Claim.objects.filter(text="A starred bullet.").exists()


def test_dry_run_reports_and_writes_nothing():
    out, _err, error = run(SEED, "--topic", "Fresh", "--dry-run")

    assert error is None
    assert "20 questions (20 new" in out
    assert out.rstrip().endswith("(dry run: nothing written)")
    assert set(rows().values()) == {0}


def test_several_files_show_progress_and_a_bad_one_does_not_stop_the_good_ones(tmp_path):
    bad = write(tmp_path, b"1. Is it so in Missouri?\n", "bad.txt")

    out, err, error = run(VARIATIONS, bad, KANSAS)

    assert f"[1/3] {VARIATIONS}" in out and f"[2/3] {bad}" in out and f"[3/3] {KANSAS}" in out
    assert f"{bad}:1: question 1 has no answer" in err
    assert error is not None and "1 of 3 files refused" in str(error) and str(bad) in str(error)
    assert Question.objects.filter(jurisdiction__code="MO").count() == 3
    assert Question.objects.filter(jurisdiction__code="KS").count() == 2


def test_jurisdiction_is_inferred_per_file():
    run(VARIATIONS, KANSAS)

    codes = set(Question.objects.values_list("jurisdiction__code", flat=True))
    assert codes == {"MO", "KS"}


def manage_py_import_qa(tmp_path, *paths) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "import_qa", *map(str, paths)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_refused_file_exits_with_status_1_and_no_traceback(tmp_path):
    result = manage_py_import_qa(tmp_path, tmp_path / "missing.txt")

    assert result.returncode == 1
    assert f"{tmp_path / 'missing.txt'}: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_number_of_thousands_of_digits_exits_with_status_1_and_no_traceback(tmp_path):
    path = write(tmp_path, b"1. Is it so in Missouri?\n" + b"3" * 4_301 + b". Yes.\n")

    result = manage_py_import_qa(tmp_path, path)

    assert result.returncode == 1
    assert f"{path}:2: the number 333333333333… has 4,301 digits" in result.stderr
    assert "Traceback" not in result.stderr


# Bad files among good ones


def test_bad_numbers_are_refused_with_file_line_and_rule_and_later_files_imported(tmp_path):
    huge = write(tmp_path, b"1. Is it so in Missouri?\n" + b"3" * 4_301 + b". Yes.\n", "huge.txt")
    zero = write(tmp_path, b"1. Is it so in Missouri?\nYes.\n0. Point nought.\n", "zero.txt")

    out, err, error = run(huge, zero, KANSAS)

    assert f"{huge}:2: the number 333333333333… has 4,301 digits; questions and points" in err
    assert f"{zero}:3: point 0: points are numbered from 1" in err
    assert "Traceback" not in err
    assert error is not None and "2 of 3 files refused" in str(error)
    assert f"[3/3] {KANSAS}" in out
    assert set(Question.objects.values_list("jurisdiction__code", flat=True)) == {"KS"}


def test_a_file_over_the_question_limit_is_refused_and_the_next_one_imported(settings, tmp_path):
    settings.COURTINFO_IMPORT_MAX_QUESTIONS = 2

    out, err, error = run(VARIATIONS, KANSAS)

    assert f"{VARIATIONS}:" in err and "question 3 is one too many" in err
    assert "at most 2 questions (COURTINFO_IMPORT_MAX_QUESTIONS)" in err
    assert error is not None and "1 of 2 files refused" in str(error)
    assert set(Question.objects.values_list("jurisdiction__code", flat=True)) == {"KS"}


# Who the claims are written by


def test_by_makes_the_named_person_the_author_of_every_claim(editor):
    _out, _err, error = run(VARIATIONS, "--by", "editor")

    assert error is None
    assert set(Claim.objects.values_list("author", "updated_by")) == {(editor.pk, editor.pk)}


def test_an_unknown_by_user_is_refused_naming_it_and_nothing_is_written():
    before = rows()

    _out, _err, error = run(VARIATIONS, "--by", "nobody-here")

    assert error is not None
    assert str(error) == (
        "--by 'nobody-here': no such user; name the account of the person who imports."
    )
    assert rows() == before
    assert not get_user_model().objects.exists()


def test_without_by_the_claims_are_written_by_the_importer_account():
    _out, _err, error = run(VARIATIONS)

    assert error is None
    importer = get_user_model().objects.get(username="importer")
    assert set(Claim.objects.values_list("author", flat=True)) == {importer.pk}
    assert not importer.is_active and not importer.has_usable_password()


def test_a_reimport_by_another_person_makes_them_the_author_of_what_changed(tmp_path):
    first = UserFactory(username="first", groups=["Editors"])
    second = UserFactory(username="second", groups=["Editors"])
    run(VARIATIONS, "--by", "first")
    changed = VARIATIONS.read_text().replace("A star bullet.", "A starred bullet.")
    path = write(tmp_path, changed.encode(), "variations.txt")

    run(path, "--by", "second")

    assert Claim.objects.get(text="A starred bullet.").author == second
    assert Claim.objects.exclude(text="A starred bullet.").filter(author=first).count() == (
        Claim.objects.count() - 1
    )
