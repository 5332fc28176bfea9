"""Capacity: a bounded load run against a server started with `make serve`, editors working.

    DATABASE_URL=… python -m bench.load populate [--states 51]
    python -m bench.load run --base http://127.0.0.1:8000 [--seconds 30] [--clients 8]
        [--no-newsroom]

`populate` imports the seed document renamed for each state (the national corpus: 51 documents,
1,020 answers) into the database DATABASE_URL names and takes every answer through the workflow
to publication. `run` sends GET requests for public pages from `--clients` threads for a bounded
time, while one more thread plays the newsroom: it corrects a claim, has it verified, approved and
published again, over and over, through the same workflow calls the admin makes (in this process,
against the same database). It prints requests per second, p50/p99 latency and the error count.
With `--no-newsroom` nothing is published meanwhile, so the page cache keeps what it rendered.
Only loopback addresses are accepted as targets.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import statistics
import threading
import time
from urllib.parse import urlsplit

QUOTE = "The words of the benchmark source."


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtinfo.settings")
    import django

    django.setup()
    # Thousands of workflow events: their log lines would drown the figures.
    logging.getLogger("claims.events").setLevel(logging.WARNING)


def _people() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    people = {}
    for role, group in (
        ("editor", "Editors"),
        ("reviewer", "Reviewers"),
        ("publisher", "Publishers"),
    ):
        user, _ = get_user_model().objects.get_or_create(
            username=f"load-{role}", defaults={"is_staff": True, "first_name": role.title()}
        )
        user.groups.add(Group.objects.get(name=group))
        people[role] = user
    return people


def _publish(answer, people: dict, source, *, summary: str) -> None:
    from claims import workflow
    from claims.models import Claim

    for claim in answer.claims.all():
        if not claim.citations.exists():
            workflow.add_citation(
                claim, by=people["editor"], source=source, pinpoint="§ 1", quote=QUOTE
            )
    workflow.submit_answer(answer, by=people["editor"])
    for claim in answer.claims.all():
        if claim.status != Claim.Status.SUPPORTED:
            workflow.verify_claim(claim, by=people["reviewer"], verdict=Claim.Status.SUPPORTED)
    workflow.approve_answer(answer, by=people["reviewer"])
    workflow.publish_answer(answer, by=people["publisher"], summary=summary)


def _source():
    from claims.models import Source

    source, _ = Source.objects.get_or_create(
        title="Load test source", defaults={"kind": Source.Kind.OTHER, "publisher": "load test"}
    )
    return source


def populate(states: int) -> None:
    _setup()
    from bench.run import _import, _seed_for
    from courtinfo.models import Answer, Jurisdiction

    people = _people()
    source = _source()
    # The 50 states and the District of Columbia.
    codes = Jurisdiction.objects.filter(
        kind__in=(Jurisdiction.Kind.STATE, Jurisdiction.Kind.DISTRICT)
    ).order_by("code")
    start = time.perf_counter()
    for code in codes.values_list("code", flat=True)[:states]:
        _import(_seed_for(code))
    imported = time.perf_counter() - start
    answers = Answer.objects.filter(status=Answer.Status.DRAFT).order_by("pk")
    for answer in answers:
        _publish(answer, people, source, summary="First version")
    print(
        f"{Answer.objects.filter(status=Answer.Status.PUBLISHED).count()} answers published "
        f"({states} documents imported in {imported:.1f} s, "
        f"{time.perf_counter() - start:.1f} s in all)"
    )


def _public_paths() -> list[str]:
    from courtinfo.models import Publication

    live = list(
        Publication.objects.live()
        .select_related("jurisdiction")
        .order_by("pk")
        .values_list("jurisdiction__slug", "question_slug", "compare_key")
    )
    paths = ["/", "/search/?q=court+records", "/sources/", "/feed/", "/api/answers/"]
    for index, (jurisdiction, question, key) in enumerate(live):
        paths.append(f"/{jurisdiction}/{question}/")
        if index % 20 == 0:
            paths += [
                f"/{jurisdiction}/",
                f"/compare/{key}/",
                f"/{jurisdiction}/{question}/history/",
            ]
    return paths


def _client(base: str, paths: list[str], deadline: float, offset: int, out: list, errors: list):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    # As a TLS-terminating proxy forwards it (DJANGO_BEHIND_TLS_PROXY=1 on the server).
    headers = {"X-Forwarded-Proto": "https", "Host": parts.hostname}
    index = offset
    while time.perf_counter() < deadline:
        path = paths[index % len(paths)]
        index += 7
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{response.status} {path}")
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{type(error).__name__} {path}")
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
            continue
        out.append(time.perf_counter() - start)
    connection.close()


def _newsroom(deadline: float, done: list, errors: list) -> None:
    from claims import workflow
    from courtinfo.models import Answer

    people = _people()
    source = _source()
    answers = list(Answer.objects.filter(live_publication__isnull=False).order_by("pk")[:50])
    round_ = 0
    while time.perf_counter() < deadline and answers:
        answer = answers[round_ % len(answers)]
        round_ += 1
        try:
            claim = answer.claims.order_by("position").first()
            workflow.edit_claim(claim, by=people["editor"], text=f"{claim.text} (rev {round_})")
            answer.refresh_from_db()
            _publish(answer, people, source, summary=f"Correction {round_}")
            done.append(round_)
        except Exception as error:  # noqa: BLE001 — every failure is counted and reported
            errors.append(f"newsroom: {type(error).__name__}: {error}")


def run(base: str, seconds: float, clients: int, *, newsroom: bool = True) -> int:
    host = urlsplit(base).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("bench.load sends traffic to loopback addresses only.")
    _setup()
    paths = _public_paths()
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    published: list[int] = []
    threads = [
        threading.Thread(target=_client, args=(base, paths, deadline, i, latencies[i], errors))
        for i in range(clients)
    ]
    if newsroom:
        threads.append(threading.Thread(target=_newsroom, args=(deadline, published, errors)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    samples = sorted(s for client in latencies for s in client)
    if not samples:
        print("no request completed")
        return 1
    p50 = statistics.median(samples) * 1000
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000
    print(
        f"{len(samples)} requests in {elapsed:.1f} s from {clients} clients over {len(paths)} "
        f"pages: {len(samples) / elapsed:.0f} requests/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
        f"{len(errors)} errors; the newsroom published {len(published)} corrections meanwhile"
    )
    for error in errors[:10]:
        print("  error:", error)
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("populate")
    fill.add_argument("--states", type=int, default=51)
    load = commands.add_parser("run")
    load.add_argument("--base", default="http://127.0.0.1:8000")
    load.add_argument("--seconds", type=float, default=30)
    load.add_argument("--clients", type=int, default=8)
    load.add_argument(
        "--no-newsroom",
        dest="newsroom",
        action="store_false",
        help="publish nothing meanwhile: what the page cache serves while what is live holds",
    )
    options = parser.parse_args()
    if options.command == "populate":
        populate(options.states)
        return 0
    return run(options.base, options.seconds, options.clients, newsroom=options.newsroom)


if __name__ == "__main__":
    raise SystemExit(main())
