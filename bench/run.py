"""`make bench`: time pages, admin, import and publishing, each against the framework floor."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from courtinfo.models import Answer, Jurisdiction

# Jurisdictions that get a copy of the seed, with Missouri's name replaced by theirs, so pages
# are measured at a realistic size and the compare page has several answers to line up.
EXTRA_STATES = ("KS", "IL", "IA", "NE", "AR", "OK", "TN", "KY", "CO", "TX", "WI", "MN")
TOPIC = "State courts and immigration enforcement"
SEED_NAME = "Missouri"


@dataclass
class Row:
    """One line of the table: a request or an operation, its timings and its SQL queries."""

    name: str
    kind: str  # "floor", "request" or "operation"
    median_ms: float
    p95_ms: float
    queries: int
    samples: int
    ratio: float | None = None


@dataclass
class Options:
    iterations: int
    warmup: int
    states: int


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _row(name: str, kind: str, samples_ms: list[float], queries: int) -> Row:
    return Row(
        name=name,
        kind=kind,
        median_ms=statistics.median(samples_ms),
        p95_ms=_p95(samples_ms),
        queries=queries,
        samples=len(samples_ms),
    )


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / 1e6


# --- the data: the seed for Missouri and a renamed copy per extra state, all published.


def _seed_for(code: str) -> tuple[bytes, str, Jurisdiction]:
    """The seed document as it would read for this jurisdiction: (bytes, file name, where)."""
    from django.conf import settings

    from courtinfo.models import Jurisdiction

    seed = Path(settings.BASE_DIR) / "claims" / "demo" / "missouri-courts-ice.txt"
    jurisdiction = Jurisdiction.objects.get(code=code)
    text = seed.read_text(encoding="utf-8").replace(SEED_NAME, jurisdiction.name)
    return text.encode(), f"{jurisdiction.slug}-courts-ice.txt", jurisdiction


def _import(seed: tuple[bytes, str, Jurisdiction]) -> None:
    """What an import costs: parsing the bytes and loading them."""
    from claims.importer.load import import_document
    from claims.importer.parse import parse_document

    data, name, jurisdiction = seed
    import_document(parse_document(data, name=name), jurisdiction=jurisdiction, topic_name=TOPIC)


def _users() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    users = {}
    for role, group in (
        ("editor", "Editors"),
        ("reviewer", "Reviewers"),
        ("publisher", "Publishers"),
    ):
        user = get_user_model().objects.create_user(f"bench-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        users[role] = user
    return users


def _bench_imports(options: Options, rows: list[Row]) -> None:
    """The seed for Missouri first (counted), then each extra state (timed); then re-imports."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.importer.parse import parse_document

    missouri = _seed_for("MO")
    others = [_seed_for(code) for code in EXTRA_STATES[: options.states]]
    # Loads the sentence tokenizer and the citation patterns, which a running site has done.
    parse_document(missouri[0], name=missouri[1])
    with CaptureQueriesContext(connection) as fresh_queries:
        first = _timed(lambda: _import(missouri))
    fresh_count = len(fresh_queries)
    fresh = [_timed(lambda seed=seed: _import(seed)) for seed in others]
    rows.append(_row("import seed (fresh)", "operation", fresh or [first], fresh_count))

    with CaptureQueriesContext(connection) as again_queries:
        _import(missouri)
    again_count = len(again_queries)
    again = [_timed(lambda: _import(missouri)) for _ in range(options.iterations)]
    rows.append(_row("import seed (unchanged)", "operation", again, again_count))


def _bench_publishing(users: dict, rows: list[Row]) -> None:
    """Every imported answer through the workflow; publish_answer itself is what is timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims import workflow
    from claims.models import Claim, Source
    from courtinfo.models import Answer

    editor, reviewer, publisher = users["editor"], users["reviewer"], users["publisher"]
    source = Source.objects.create(
        title="Benchmark source", kind=Source.Kind.OTHER, publisher="courtinfo benchmark"
    )
    answers = Answer.objects.select_related("question").order_by(
        "question__jurisdiction__code", "question__position"
    )
    samples: list[float] = []
    queries = 0
    for answer in answers:
        for claim in answer.claims.all():
            workflow.add_citation(
                claim, by=editor, source=source, pinpoint="§ 1", quote="The benchmark's words."
            )
        workflow.submit_answer(answer, by=editor)
        for claim in answer.claims.all():
            workflow.verify_claim(claim, by=reviewer, verdict=Claim.Status.SUPPORTED)
        workflow.approve_answer(answer, by=reviewer)
        if not queries:
            with CaptureQueriesContext(connection) as captured:
                workflow.publish_answer(answer, by=publisher, summary="First version")
            queries = len(captured)
        else:
            samples.append(
                _timed(
                    lambda answer=answer: workflow.publish_answer(
                        answer, by=publisher, summary="First version"
                    )
                )
            )
    rows.append(_row("publish_answer", "operation", samples, queries))


def _second_version(users: dict) -> Answer:
    """Missouri's first answer corrected and published again, so its history shows a change."""
    from claims import workflow
    from claims.models import Claim
    from courtinfo.models import Answer

    answer = Answer.objects.get(question__jurisdiction__code="MO", question__position=1)
    claim = answer.claims.order_by("position").first()
    workflow.edit_claim(claim, by=users["editor"], text=claim.text + " This was corrected.")
    workflow.verify_claim(claim, by=users["reviewer"], verdict=Claim.Status.SUPPORTED)
    workflow.submit_answer(answer, by=users["editor"])
    workflow.approve_answer(answer, by=users["reviewer"])
    workflow.publish_answer(answer, by=users["publisher"], summary="Corrected the first claim")
    answer.refresh_from_db()
    return answer


# --- requests


def _pages(answer: Answer) -> list[tuple[str, str, bool]]:
    """(name, URL, as the reviewer) for every measured request."""
    from django.urls import reverse

    from bench.urls import FLOOR_TEMPLATE_URL, FLOOR_URL

    publication = answer.live_publication
    slugs = [publication.jurisdiction.slug, publication.question_slug]
    return [
        ("floor: bare view", FLOOR_URL, False),
        ("floor: base.html", FLOOR_TEMPLATE_URL, False),
        ("home", reverse("public:home"), False),
        ("jurisdiction", reverse("public:jurisdiction", args=slugs[:1]), False),
        ("question", reverse("public:question", args=slugs), False),
        ("history", reverse("public:history", args=slugs), False),
        ("search ?q=court", reverse("public:search") + "?q=court", False),
        ("compare", reverse("public:compare", args=[publication.compare_key]), False),
        ("sources", reverse("public:sources"), False),
        ("api list", reverse("public:api-answers"), False),
        ("api detail", reverse("public:api-answer", args=[answer.pk]), False),
        ("feed", reverse("public:feed"), False),
        ("sitemap", reverse("public:sitemap"), False),
        ("admin answer change", reverse("admin:courtinfo_answer_change", args=[answer.pk]), True),
        ("admin answer changelist", reverse("admin:courtinfo_answer_changelist"), True),
    ]


def _bench_requests(answer: Answer, users: dict, options: Options, rows: list[Row]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    public, staff = Client(), Client()
    staff.force_login(users["reviewer"])
    floor = None
    for name, url, as_staff in _pages(answer):
        client = staff if as_staff else public
        for _ in range(options.warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {url} answered {response.status_code}, not 200")
        # Counted apart from the timed runs: capturing SQL slows every query down a little.
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        # Read now: the next request empties the connection's query log.
        queries = len(captured)
        samples = [
            _timed(lambda client=client, url=url: client.get(url))
            for _ in range(options.iterations)
        ]
        kind = "floor" if name.startswith("floor") else "request"
        row = _row(name, kind, samples, queries)
        floor = floor or row.median_ms
        row.ratio = row.median_ms / floor
        rows.append(row)


# --- the run


def _throwaway_database(connection) -> Path | None:
    """Point the test-database machinery at a temporary SQLite file or `<name>_bench`.

    Returns the temporary directory to remove afterwards, if any. An existing `<name>_bench`
    left by an interrupted run is dropped and made again.
    """
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="courtinfo-bench-"))
        test["NAME"] = str(directory / "bench.sqlite3")
        return directory
    test["NAME"] = f"{connection.settings_dict['NAME']}_bench"
    return None


def run(options: Options) -> tuple[list[Row], dict]:
    import django
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # A production-like request path: no debug pages, no query log. The test environment's
    # template instrumentation is left off on purpose (it copies every template context).
    settings.DEBUG = False
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    directory = _throwaway_database(connection)
    started = time.perf_counter()
    databases = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        rows: list[Row] = []
        users = _users()
        _bench_imports(options, rows)
        _bench_publishing(users, rows)
        answer = _second_version(users)
        request_rows: list[Row] = []
        _bench_requests(answer, users, options, request_rows)
        from courtinfo.models import Publication

        info = {
            "database": f"{connection.vendor} {_server_version(connection)}",
            "python": platform.python_version(),
            "django": django.get_version(),
            "iterations": options.iterations,
            "warmup": options.warmup,
            "jurisdictions": 1 + min(options.states, len(EXTRA_STATES)),
            "published_answers": Publication.objects.live().count(),
        }
    finally:
        teardown_databases(databases, verbosity=0)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
    info["seconds"] = round(time.perf_counter() - started, 1)
    return request_rows + rows, info


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    version = connection.pg_version if connection.vendor == "postgresql" else None
    if version:
        return f"{version // 10000}.{version % 10000}"
    return ""


def render_table(rows: list[Row], info: dict) -> str:
    lines = [
        f"courtinfo benchmark: {info['database']}, Python {info['python']}, "
        f"Django {info['django']}",
        f"{info['iterations']} timed requests per row after {info['warmup']} warm-up; "
        f"{info['jurisdictions']} jurisdictions, {info['published_answers']} published answers; "
        f"{info['seconds']} s in all",
        "",
        f"{'name':<26} {'median ms':>10} {'p95 ms':>10} {'×floor':>8} {'queries':>8}",
    ]
    for row in rows:
        ratio = f"{row.ratio:.1f}" if row.ratio is not None else "—"
        lines.append(
            f"{row.name:<26} {row.median_ms:>10.2f} {row.p95_ms:>10.2f} {ratio:>8} {row.queries:>8}"
        )
    lines += [
        "",
        "×floor: median over the median of the bare view through the same middleware.",
        "Import rows parse and load the 20-question seed; publish_answer is one answer's "
        "publication.",
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(
        prog="make bench",
        description="Time the public pages, the admin, the import and publishing on a throwaway "
        "database, with ratios to the framework floor measured in the same run.",
    )
    parser.add_argument("--iterations", type=int, default=50, help="timed runs per row (50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs per row first (5)")
    parser.add_argument(
        "--states",
        type=int,
        default=10,
        help=f"jurisdictions besides Missouri that get the seed (10, at most {len(EXTRA_STATES)})",
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 runs per row, 1 warm-up, 1 extra state"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers here")
    args = parser.parse_args(argv)
    if args.quick:
        args.iterations, args.warmup, args.states = 3, 1, 1
    if args.iterations < 1 or args.warmup < 1 or not 0 <= args.states <= len(EXTRA_STATES):
        parser.error(
            f"--iterations and --warmup need at least 1; --states 0 to {len(EXTRA_STATES)}"
        )
    return Options(args.iterations, args.warmup, args.states), args.json


def main(argv: list[str] | None = None) -> int:
    options, json_path = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtinfo.settings")
    import django

    django.setup()
    rows, info = run(options)
    print(render_table(rows, info))
    if json_path is not None:
        json_path.write_text(
            json.dumps({**info, "rows": [asdict(row) for row in rows]}, indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
