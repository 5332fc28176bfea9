"""`make bench` runs end to end in its quick mode; only its shape is checked, never its timings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import SCALES, main, parse_args

ROOT = Path(__file__).resolve().parent.parent
CACHED = [
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
]


def _warm_and_cold(name: str) -> list[str]:
    return [f"{name} (warm)", f"{name} (cold)"] if name in CACHED else [name]


PAGES = [
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
    "admin answer change",
    "floor: stock admin answer",
    "admin answer changelist",
    "admin claim changelist",
    "floor: stock admin claims",
]
REQUESTS = [
    "floor: bare view",
    "floor: base.html",
    *[row for name in PAGES for row in _warm_and_cold(name)],
]
OPERATIONS = [
    "import seed (fresh)",
    "import corpus (one go)",
    "import seed (unchanged)",
    "publish_answer",
]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One quick run on its own throwaway database: (stdout, the numbers it wrote)."""
    path = tmp_path_factory.mktemp("bench") / "bench.json"
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "--json",
            str(path),
            "--profile",
            "question (cold)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(path.read_text(encoding="utf-8"))


def _printed_row(stdout: str, name: str) -> list[str]:
    lines = [line for line in stdout.splitlines() if line.startswith(name + " ")]
    assert len(lines) == 1, f"{name!r} printed {len(lines)} times"
    return lines[0][len(name) :].split()


def test_quick_run_measures_every_request_and_operation(quick_run):
    _stdout, numbers = quick_run
    assert [row["name"] for row in numbers["rows"]] == REQUESTS + OPERATIONS


def test_quick_run_prints_every_row_with_its_numbers(quick_run):
    stdout, numbers = quick_run
    for row in numbers["rows"]:
        median, p95, cpu, floor, ratio, queries = _printed_row(stdout, row["name"])
        assert float(median) == pytest.approx(row["median_ms"], abs=0.01)
        assert float(p95) >= float(median)
        assert cpu == ("—" if row["cpu_ms"] is None else f"{row['cpu_ms']:.2f}")
        assert floor == ("—" if row["floor_ms"] is None else f"{row['floor_ms']:.3f}")
        assert ratio == ("—" if row["ratio"] is None else f"{row['ratio']:.1f}")
        assert int(queries) == row["queries"]


def test_quick_run_gives_every_request_a_positive_ratio_to_the_floor(quick_run):
    _stdout, numbers = quick_run
    requests = [row for row in numbers["rows"] if row["kind"] in {"floor", "request"}]
    assert requests[0]["name"] == "floor: bare view"
    assert requests[0]["ratio"] == 1
    for row in requests:
        assert isinstance(row["ratio"], float) and row["ratio"] > 0, row
        assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"], row
        # The floor beside each figure was timed in the same run, alternately with it.
        assert row["floor_ms"] > 0 and row["cpu_ms"] > 0, row
        assert row["ratio"] == pytest.approx(row["median_ms"] / row["floor_ms"]), row


def test_quick_run_serves_warm_pages_with_the_generation_lookup_alone(quick_run):
    _stdout, numbers = quick_run
    queries = {row["name"]: row["queries"] for row in numbers["rows"]}
    for name in CACHED:
        assert queries[f"{name} (warm)"] == 1, name
        assert queries[f"{name} (cold)"] > 1, name


def test_quick_run_counts_queries_of_pages_but_none_for_the_floor(quick_run):
    _stdout, numbers = quick_run
    queries = {row["name"]: row["queries"] for row in numbers["rows"]}
    assert queries["floor: bare view"] == 0
    assert all(queries[name] > 0 for name in REQUESTS[2:] + OPERATIONS), queries


def test_quick_run_reads_the_admin_pages_against_djangos_own_admin(quick_run):
    stdout, numbers = quick_run
    median = {row["name"]: row["median_ms"] for row in numbers["rows"]}
    for page, stock in [
        ("admin answer change", "floor: stock admin answer"),
        ("admin claim changelist", "floor: stock admin claims"),
    ]:
        assert f"{page}: {median[page] / median[stock]:.1f}× {stock} " in stdout


def test_quick_run_reports_its_setup(quick_run):
    stdout, numbers = quick_run
    assert numbers["scale"] == "small"
    assert numbers["iterations"] == SCALES["small"][0]
    assert numbers["jurisdictions"] == 2
    assert numbers["published_answers"] == 40
    assert numbers["database"].split()[0] in {"sqlite", "postgresql"}
    assert f"Django {numbers['django']}" in stdout and f"Python {numbers['python']}" in stdout


def test_quick_run_imports_the_corpus_in_one_go_and_says_how_fast_and_how_much_memory(quick_run):
    stdout, numbers = quick_run
    [corpus] = [row for row in numbers["rows"] if row["name"] == "import corpus (one go)"]
    fresh = next(row for row in numbers["rows"] if row["name"] == "import seed (fresh)")
    assert corpus["samples"] == 1 and corpus["median_ms"] > fresh["median_ms"]
    assert corpus["queries"] > fresh["queries"]
    assert corpus["claims_per_s"] > 0 and corpus["peak_memory_mb"] >= 0
    assert f"{corpus['claims_per_s']:,.0f} claims a second" in stdout


def test_quick_run_reports_the_history_one_workflow_pass_leaves(quick_run):
    stdout, numbers = quick_run
    history = numbers["history"]
    assert 0 < history["versions_per_answer"] < 150, history
    assert history["bytes_per_answer"] > 0, history
    assert f"history: {history['versions_per_answer']} versions per answer" in stdout


def test_bench_refuses_zero_iterations(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--iterations", "0"])
    assert "--iterations" in capsys.readouterr().err


def test_compare_prints_the_previous_run_beside_the_new_one(quick_run, tmp_path):
    stdout, numbers = quick_run
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(numbers), encoding="utf-8")
    from bench.run import Row, render_table

    rows = [Row(**row) for row in numbers["rows"]]
    table = render_table(rows, numbers, previous=numbers)

    assert "was ms" in table and "was ×" in table
    question = next(line for line in table.splitlines() if line.startswith("question (warm) "))
    row = next(r for r in numbers["rows"] if r["name"] == "question (warm)")
    assert question.split()[-2] == f"{row['median_ms']:.2f}"


def test_compare_without_a_previous_run_says_so(tmp_path, capsys):
    assert main(["--compare", "--json", str(tmp_path / "none.json")]) == 2
    assert "no previous run" in capsys.readouterr().err


def test_quick_run_profiles_the_row_it_was_asked_to(quick_run):
    stdout, numbers = quick_run
    _, _, profile = stdout.partition("--- profile: question (cold)")
    # pyinstrument's call tree reaches the page's own view.
    assert "LivePublicationPage.get" in profile or "views.py" in profile
    assert "profiles" not in numbers
