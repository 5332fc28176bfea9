"""`make bench`: time pages, admin, import and publishing, each against the framework floor.

`BENCH_SCALE` picks the data and the number of runs: `small` (two jurisdictions, a few runs: CI,
seconds), `medium` (eleven jurisdictions, the default) or `national` (the seed for every state and
DC: 51 documents, 1,020 published answers). Each page is timed alternately with the bare view, so
its ratio compares two figures taken under the same load; cached pages are timed warm (the cache
filled) and cold (the cache emptied before every request).
"""

from __future__ import annotations

import argparse
import json
import logging
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
    # CPU time of this process (median), beside the wall time above.
    cpu_ms: float | None = None
    # The bare view's median, timed alternately with this row's requests.
    floor_ms: float | None = None
    # Only the corpus import: claims written a second, and how much the process's peak memory
    # (ru_maxrss) grew meanwhile.
    claims_per_s: float | None = None
    peak_memory_mb: float | None = None


@dataclass
class Options:
    iterations: int
    warmup: int
    states: int
    scale: str = "medium"
    # Rows (as named in the table) to profile with pyinstrument after they are timed.
    profile: tuple[str, ...] = ()


# (iterations, warm-up runs, jurisdictions besides Missouri; None: every state and DC)
SCALES = {
    "small": (5, 1, 1),
    "medium": (50, 5, 10),
    "national": (30, 3, None),
}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _row(
    name: str, kind: str, samples_ms: list[float], queries: int, cpu_ms: list[float] | None = None
) -> Row:
    return Row(
        name=name,
        kind=kind,
        median_ms=statistics.median(samples_ms),
        p95_ms=_p95(samples_ms),
        queries=queries,
        samples=len(samples_ms),
        cpu_ms=statistics.median(cpu_ms) if cpu_ms else None,
    )


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / 1e6


def _timed_with_cpu(call: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one call."""
    cpu = time.process_time_ns()
    start = time.perf_counter_ns()
    call()
    return (time.perf_counter_ns() - start) / 1e6, (time.process_time_ns() - cpu) / 1e6


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


def _other_states(options: Options) -> list[str]:
    """Codes of the jurisdictions besides Missouri that get the seed."""
    if options.scale != "national":
        return list(EXTRA_STATES[: options.states])
    from courtinfo.models import Jurisdiction

    kinds = [Jurisdiction.Kind.STATE, Jurisdiction.Kind.DISTRICT]
    return list(
        Jurisdiction.objects.filter(kind__in=kinds)
        .exclude(code="MO")
        .order_by("code")
        .values_list("code", flat=True)
    )


def _max_rss_mb() -> float:
    """The most memory this process has held so far (ru_maxrss: KB on Linux, bytes on macOS)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _bench_imports(options: Options, rows: list[Row]) -> None:
    """Every jurisdiction's seed in one go, Missouri's first (its queries counted) and each
    other's timed alone too; then re-imports of Missouri's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.importer.parse import parse_document
    from claims.models import Claim

    missouri = _seed_for("MO")
    corpus = [missouri, *(_seed_for(code) for code in _other_states(options))]
    # Loads the sentence tokenizer and the citation patterns, which a running site has done.
    parse_document(missouri[0], name=missouri[1])
    queries: list[int] = []

    def count(execute, sql, params, many, context):
        queries[-1] += 1
        return execute(sql, params, many, context)

    peak_before, started = _max_rss_mb(), time.perf_counter_ns()
    samples = []
    with connection.execute_wrapper(count):
        for seed in corpus:
            queries.append(0)
            samples.append(_timed(lambda seed=seed: _import(seed)))
    total_ms = (time.perf_counter_ns() - started) / 1e6
    rows.append(_row("import seed (fresh)", "operation", samples[1:] or samples, queries[0]))
    whole = _row("import corpus (one go)", "operation", [total_ms], sum(queries))
    whole.claims_per_s = Claim.objects.count() / (total_ms / 1000)
    whole.peak_memory_mb = _max_rss_mb() - peak_before
    rows.append(whole)

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


def _history_per_answer() -> dict:
    """What django-reversion holds per answer: Version rows and the bytes of their data."""
    from django.db import connection
    from django.db.models import Count, F, Func, IntegerField, Sum
    from reversion.models import Version

    from courtinfo.models import Answer

    # Bytes, not characters: the data is JSON in UTF-8.
    template = (
        "OCTET_LENGTH(%(expressions)s)"
        if connection.vendor == "postgresql"
        else "LENGTH(CAST(%(expressions)s AS BLOB))"
    )
    size = Func(F("serialized_data"), template=template, output_field=IntegerField())
    totals = Version.objects.aggregate(versions=Count("pk"), size=Sum(size))
    answers = max(Answer.objects.count(), 1)
    return {
        "versions_per_answer": round(totals["versions"] / answers, 1),
        "bytes_per_answer": round((totals["size"] or 0) / answers),
    }


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

# Pages served from the cache of rendered pages: timed warm and cold.
CACHED = {
    "home",
    "jurisdiction",
    "question",
    "history",
    "search ?q=court",
    "compare",
    "sources",
    "api list",
    "api detail",
    "feed",
    "sitemap",
    "sitemap section",
}


# Django's admin unconfigured over the same rows: the floor the site's admin pages are read against.
STOCK_ANSWER_CHANGE = "floor: stock admin answer"
STOCK_CLAIM_CHANGELIST = "floor: stock admin claims"
# Each site admin page and the stock page it is read against.
ADMIN_FLOORS = {
    "admin answer change": STOCK_ANSWER_CHANGE,
    "admin answer changelist": STOCK_CLAIM_CHANGELIST,
    "admin claim changelist": STOCK_CLAIM_CHANGELIST,
}


def _pages(answer: Answer) -> list[tuple[str, str, bool]]:
    """(name, URL, as the reviewer) for every measured request."""
    from django.urls import reverse

    from bench.urls import FLOOR_TEMPLATE_URL, STOCK_ADMIN_URL

    publication = answer.live_publication
    slugs = [publication.jurisdiction.slug, publication.question_slug]
    return [
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
        (
            "sitemap section",
            reverse("public:sitemap-section", kwargs={"section": "questions"}),
            False,
        ),
        ("admin answer change", reverse("admin:courtinfo_answer_change", args=[answer.pk]), True),
        (STOCK_ANSWER_CHANGE, f"{STOCK_ADMIN_URL}courtinfo/answer/{answer.pk}/change/", True),
        ("admin answer changelist", reverse("admin:courtinfo_answer_changelist"), True),
        ("admin claim changelist", reverse("admin:claims_claim_changelist"), True),
        (STOCK_CLAIM_CHANGELIST, f"{STOCK_ADMIN_URL}claims/claim/", True),
    ]


def _measure(
    name: str,
    get: Callable[[], object],
    floor: Callable[[], object],
    options: Options,
    *,
    before: Callable[[], object] | None = None,
) -> Row:
    """`get` timed `options.iterations` times, each time right after one request to the floor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before is not None:
        before()
    # Counted apart from the timed runs: capturing SQL slows every query down a little.
    with CaptureQueriesContext(connection) as captured:
        get()
    # Read now: the next request empties the connection's query log.
    queries = len(captured)
    floor_ms, wall_ms, cpu_ms = [], [], []
    for _ in range(options.iterations):
        floor_ms.append(_timed(floor))
        if before is not None:
            before()
        wall, cpu = _timed_with_cpu(get)
        wall_ms.append(wall)
        cpu_ms.append(cpu)
    kind = "floor" if name.startswith("floor") else "request"
    row = _row(name, kind, wall_ms, queries, cpu_ms)
    row.floor_ms = statistics.median(floor_ms)
    row.ratio = row.median_ms / row.floor_ms
    return row


def _profile(
    get: Callable[[], object], options: Options, before: Callable[[], object] | None
) -> str:
    """Where `options.iterations` requests spend their time, as pyinstrument prints it."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    for _ in range(options.iterations):
        if before is not None:
            before()
        profiler.start()
        get()
        profiler.stop()
    return profiler.output_text(unicode=True, color=False, short_mode=True)


def _bench_requests(
    answer: Answer, users: dict, options: Options, rows: list[Row], profiles: dict[str, str]
) -> None:
    from django.core.cache import cache
    from django.test import Client

    from bench.urls import FLOOR_URL

    public, staff, bare = Client(), Client(), Client()
    staff.force_login(users["reviewer"])

    def floor():
        return bare.get(FLOOR_URL)

    for _ in range(options.warmup):
        floor()
    samples = [_timed_with_cpu(floor) for _ in range(options.iterations)]
    row = _row("floor: bare view", "floor", [w for w, _ in samples], 0, [c for _, c in samples])
    row.floor_ms, row.ratio = row.median_ms, 1.0
    rows.append(row)
    for name, url, as_staff in _pages(answer):
        client = staff if as_staff else public

        def get(client=client, url=url, name=name):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {url} answered {response.status_code}, not 200")
            return response

        for _ in range(options.warmup):
            get()
        if name in CACHED:
            timed = [(f"{name} (warm)", None), (f"{name} (cold)", cache.clear)]
        else:
            timed = [(name, None)]
        for label, before in timed:
            rows.append(_measure(label, get, floor, options, before=before))
            if label in options.profile:
                profiles[label] = _profile(get, options, before)


def _analyze(connection) -> None:
    """Fresh planner statistics and visibility maps, as autovacuum would leave them on a running
    site: the workflow pass rewrites every answer several times, and until a vacuum the pages'
    lookups of live answers read the answers' table instead of its index alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


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
    # A log line per request and per workflow event would bury the table.
    for name in ("courtinfo.requests", "claims.events"):
        logging.getLogger(name).setLevel(logging.WARNING)
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
        history = _history_per_answer()
        answer = _second_version(users)
        _analyze(connection)
        request_rows: list[Row] = []
        profiles: dict[str, str] = {}
        _bench_requests(answer, users, options, request_rows, profiles)
        from courtinfo.models import Publication

        info = {
            "database": f"{connection.vendor} {_server_version(connection)}",
            "python": platform.python_version(),
            "django": django.get_version(),
            "iterations": options.iterations,
            "warmup": options.warmup,
            "scale": options.scale,
            "jurisdictions": 1 + len(_other_states(options)),
            "published_answers": Publication.objects.live().count(),
            "profiles": profiles,
            "history": history,
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


def _number(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def render_table(rows: list[Row], info: dict, previous: dict | None = None) -> str:
    """One table; with `previous` (an earlier run's JSON), its median and ratio beside each row."""
    before = {row["name"]: row for row in (previous or {}).get("rows", [])}
    lines = [
        f"courtinfo benchmark: {info['database']}, Python {info['python']}, "
        f"Django {info['django']}",
        f"scale {info.get('scale', '—')}: {info['iterations']} timed requests per row after "
        f"{info['warmup']} warm-up; {info['jurisdictions']} jurisdictions, "
        f"{info['published_answers']} published answers; {info['seconds']} s in all",
        "",
    ]
    header = (
        f"{'name':<26} {'median ms':>10} {'p95 ms':>10} {'cpu ms':>8} {'floor ms':>9} "
        f"{'×floor':>8} {'queries':>8}"
    )
    if previous is not None:
        header += f" {'was ms':>9} {'was ×':>7}"
    lines.append(header)
    for row in rows:
        line = (
            f"{row.name:<26} {row.median_ms:>10.2f} {row.p95_ms:>10.2f} "
            f"{_number(row.cpu_ms, '.2f'):>8} {_number(row.floor_ms, '.3f'):>9} "
            f"{_number(row.ratio, '.1f'):>8} {row.queries:>8}"
        )
        if previous is not None:
            old = before.get(row.name, {})
            line += (
                f" {_number(old.get('median_ms'), '.2f'):>9} {_number(old.get('ratio'), '.1f'):>7}"
            )
        lines.append(line)
    lines += [
        "",
        "×floor: median over the median of the bare view, timed alternately with the row's "
        "requests (floor ms).",
        "warm: the page cache filled; cold: emptied before every request. cpu ms: this process.",
        "Import rows parse and load the 20-question seed; publish_answer is one answer's "
        "publication.",
        *(
            f"{row.name}: every jurisdiction's seed, {row.claims_per_s:,.0f} claims a second; "
            f"peak memory (ru_maxrss) grew {row.peak_memory_mb:.1f} MB."
            for row in rows
            if row.claims_per_s is not None
        ),
    ]
    by_name = {row.name: row for row in rows}
    lines += [
        f"{name}: {by_name[name].median_ms / by_name[stock].median_ms:.1f}× {stock} "
        f"(Django's admin, unconfigured, over the same rows)."
        for name, stock in ADMIN_FLOORS.items()
        if name in by_name and stock in by_name
    ]
    if "history" in info:
        lines.append(
            f"history: {info['history']['versions_per_answer']} versions per answer, "
            f"{info['history']['bytes_per_answer']:,} bytes per answer after one pass through "
            "the workflow."
        )
    if previous is not None:
        lines.append(
            f"was: the previous run ({previous.get('scale', '—')} scale, "
            f"{previous.get('database', '—')})."
        )
    return "\n".join(lines)


DEFAULT_JSON = Path("var") / "bench.json"


def parse_args(argv: list[str] | None) -> tuple[Options, Path | None, bool]:
    parser = argparse.ArgumentParser(
        prog="make bench",
        description="Time the public pages, the admin, the import and publishing on a throwaway "
        "database, with ratios to the framework floor measured in the same run. BENCH_SCALE "
        f"picks the data: {', '.join(SCALES)} (medium when unset).",
    )
    parser.add_argument("--iterations", type=int, help="timed runs per row")
    parser.add_argument("--warmup", type=int, help="untimed runs per row first")
    parser.add_argument(
        "--states",
        type=int,
        help=f"jurisdictions besides Missouri that get the seed (at most {len(EXTRA_STATES)}; "
        "BENCH_SCALE=national takes every state)",
    )
    parser.add_argument("--quick", action="store_true", help="the small scale")
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="ROW",
        help="profile this row with pyinstrument after timing it, as the table names it "
        "(for example 'question (cold)'); may be given more than once",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        default=DEFAULT_JSON,
        help=f"write the numbers here ({DEFAULT_JSON})",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="print the previous run's figures (read from --json before it is rewritten) beside",
    )
    args = parser.parse_args(argv)
    scale = "small" if args.quick else os.environ.get("BENCH_SCALE") or "medium"
    if scale not in SCALES:
        parser.error(f"BENCH_SCALE is {scale!r}; choose one of {', '.join(SCALES)}")
    iterations, warmup, states = SCALES[scale]
    iterations = iterations if args.iterations is None else args.iterations
    warmup = warmup if args.warmup is None else args.warmup
    if args.states is not None:
        states = args.states
    states = len(EXTRA_STATES) if states is None else states
    if iterations < 1 or warmup < 1 or not 0 <= states <= len(EXTRA_STATES):
        parser.error(
            f"--iterations and --warmup need at least 1; --states 0 to {len(EXTRA_STATES)}"
        )
    options = Options(iterations, warmup, states, scale, profile=tuple(args.profile))
    return options, args.json, args.compare


def main(argv: list[str] | None = None) -> int:
    options, json_path, compare = parse_args(argv)
    previous = None
    if compare:
        if not json_path.exists():
            print(f"--compare: no previous run in {json_path}", file=sys.stderr)
            return 2
        previous = json.loads(json_path.read_text(encoding="utf-8"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtinfo.settings")
    import django

    django.setup()
    rows, info = run(options)
    print(render_table(rows, info, previous))
    for label, text in info.pop("profiles").items():
        print(f"\n--- profile: {label} ({options.iterations} requests)\n{text}")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps({**info, "rows": [asdict(row) for row in rows]}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
