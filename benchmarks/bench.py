"""`make bench`: how long the report and the tests take against what Jupyter itself costs, and how the
helpers scale. Prints medians and ratios; asserts nothing (these machines are shared and noisy).

1. floor: one process that executes, with papermill, as many trivial notebooks as the project has, one
   after another, each importing pandas and matplotlib and saving one bar chart;
2. `make report` with a warm venv;
3. `make test` with a warm venv (all of it: nbval, the browser tests, the short property run);
then report/floor and test/floor, and the peak memory of each (all processes of the run together).
4. scale: validation and analysis on synthetic data of 100,000 and 1,000,000 figures (10,000 and 100,000
   strikes), each size in its own process so that its peak memory is its own.
5. first run: `make report` in a fresh clone of the last commit with empty pip and uv caches (creating the
   venv, getting uv, installing, running), then later `make report`s there; first/later.

Usage: python benchmarks/bench.py [--repeat N] [--parts report,test,scale,first-run]   (make bench BENCH_ARGS='--parts scale')
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def timed(command: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float]:
    """Wall time of a command and the peak of the summed memory (RSS) of its whole process tree, in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0.0
    parent = psutil.Process(process.pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.decode()[-3000:]}")
    return elapsed, peak


FLOOR_CELL = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
frame = pd.DataFrame({"side": ["a", "b"], "count": [3, 5]})
axes = frame.plot.bar(x="side", y="count")
axes.figure.savefig(OUT)
"""


def floor_command(folder: Path, count: int) -> list[str]:
    """A process that runs `count` trivial notebooks one after another with papermill."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    for i in range(count):
        cell = new_code_cell(FLOOR_CELL.replace("OUT", repr(str(folder / f"chart-{i}.png"))))
        notebook = new_notebook(
            cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
        )
        nbformat.write(notebook, folder / f"trivial-{i}.ipynb")
    script = textwrap.dedent(f"""
        import papermill
        for i in range({count}):
            papermill.execute_notebook({str(folder)!r} + f"/trivial-{{i}}.ipynb", {str(folder)!r} + f"/out-{{i}}.ipynb",
                                       kernel_name="python3", progress_bar=False)
    """)
    return [PYTHON, "-c", script]


def measure(name: str, command: list[str], repeat: int) -> dict:
    runs = [timed(command) for _ in range(repeat)]
    result = {
        "name": name,
        "seconds": statistics.median(t for t, _ in runs),
        "peak_mib": max(m for _, m in runs),
        "all_seconds": [round(t, 2) for t, _ in runs],
    }
    print(
        f"  {name:<34} median {result['seconds']:7.1f} s   runs {result['all_seconds']}   peak memory {result['peak_mib']:7.0f} MiB",
        flush=True,
    )
    return result


# ---------------------------------------------------------------------------
# Scale


SCALE_SCRIPT = r"""
import csv, json, resource, shutil, sys, time
from pathlib import Path
import numpy as np
sys.path.insert(0, sys.argv[3])
from helpers.dataset import BUNDLED_DATA_DIR, load_dataset
from helpers import checks, ledger, views
from helpers.study import Study

figures_count, strikes_count = int(sys.argv[1]), int(sys.argv[2])
folder = Path(sys.argv[4])
sources_count = max(figures_count // strikes_count, 1)
rng = np.random.default_rng(7)

with open(folder / "sources.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["source_id", "publisher", "title", "url", "published", "kind", "body", "alignment", "cites", "accessed", "stored_copy", "note"])
    writer.writerow(["original", "Original", "The study", "", "2021-01", "ngo_report", "ngo", "international", "", "", "", ""])
    for s in range(sources_count):
        writer.writerow([f"source-{s}", f"Publisher {s}", "Copy", "", "2021-01-14", "news_article", "news_outlet", "international", "original" if s % 2 else "", "", "", ""])

days = np.datetime64("2020-09-27") + rng.integers(0, 45, strikes_count)
sides = np.where(rng.random(strikes_count) < 0.5, "armenian_forces", "azerbaijani_forces")
with open(folder / "strikes.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["strike_id", "date", "place", "place_other_name", "territory", "side", "side_basis", "weapon", "may_include", "note"])
    for j in range(strikes_count):
        writer.writerow([f"strike-{j}", str(days[j]), f"Place {j}", "", "azerbaijan", sides[j], "inferred", "", "", ""])

words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
values = rng.integers(0, 40, figures_count)
per_source = figures_count // sources_count
start = time.perf_counter()
with open(folder / "figures.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["figure_id", "source_id", "attributed_to", "measure", "value", "qualifier", "vague_word", "side", "scope", "strike_id", "subset", "as_of", "quote", "derivation", "note"])
    for s in range(sources_count):
        for side in ("armenian_forces", "azerbaijani_forces"):
            writer.writerow([f"total-{s}-{side[:3]}", f"source-{s}", "", "strikes", strikes_count, "exact", "", side, "analysed_strikes", "", "", "", f"{strikes_count} strikes", "", ""])
    for i in range(figures_count):
        s, j = i // per_source % sources_count, i % per_source % strikes_count
        v = int(values[i])
        quote = f"killed {words[v]} civilians" if v <= 10 else f"{v} civilians were killed"
        writer.writerow([f"figure-{i}", f"source-{s}", "", "civilian_deaths", v, "exact" if i % 7 else "at_least", "", "unspecified", "strike", f"strike-{j}", "", "", quote, "", ""])

timings = {}
def step(name, function):
    start = time.perf_counter()
    result = function()
    timings[name] = time.perf_counter() - start
    return result

dataset = step("load and validate", lambda: load_dataset(folder))
study = Study(dataset, "source-0")
step("by side", lambda: views.by_side(study))
step("per strike", lambda: views.per_strike(study))
step("consistency checks", lambda: checks.consistency_checks(study))
step("coverage", lambda: checks.coverage(study))
step("ledger (all sources)", lambda: ledger.ledger(ledger.ledger_entries(Study(dataset, ""))))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"timings": timings, "peak_mib": peak}))
"""


def scale(figures: int, strikes: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [PYTHON, "-c", SCALE_SCRIPT, str(figures), str(strikes), str(ROOT), folder], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"scale run failed:\n{result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# First run


def first_run(repeat: int) -> None:
    """A new user's first `make report` against later ones, each first run in its own fresh clone."""
    report = ["make", "--no-print-directory", "report"]
    firsts, laters = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            clone = Path(folder) / "clone"
            subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
            # Empty caches, so that every package is downloaded as on a new machine; the rest of the
            # environment (pip and uv configuration included) is the user's.
            env = {**os.environ, "PIP_CACHE_DIR": f"{folder}/pip-cache", "UV_CACHE_DIR": f"{folder}/uv-cache"}
            env.pop("VIRTUAL_ENV", None)
            firsts.append(timed(report, env, clone)[0])
            laters.append(timed(report, env, clone)[0])
            print(f"  first make report {firsts[-1]:6.1f} s, later make report {laters[-1]:6.1f} s", flush=True)
    first, later = statistics.median(firsts), statistics.median(laters)
    # Each pair ran back to back, under about the same load from the rest of a shared machine.
    ratios = [first_run / later_run for first_run, later_run in zip(firsts, laters)]
    print(
        f"  median of {repeat}: first {first:.1f} s, later {later:.1f} s; first / later = {first / later:.2f} "
        f"(per clone {', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f})"
    )


PARTS = ("report", "test", "scale", "first-run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parts", default="report,test", help=f"comma-separated, of: {', '.join(PARTS)} (default: report,test)")
    args = parser.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := [p for p in parts if p not in PARTS]:
        parser.error(f"unknown part {', '.join(unknown)}; the parts are: {', '.join(PARTS)}")
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    if "first-run" in parts:
        uv = shutil.which("uv")
        print(
            f"\nFirst run on a fresh clone, empty package caches (uv {'on PATH: ' + uv if uv else 'bootstrapped into .venv'}; "
            f"PYTHONDONTWRITEBYTECODE {'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'not set'}):"
        )
        first_run(args.repeat)
    if "report" in parts or "test" in parts:
        print(f"\nWall time, median of {args.repeat} (warm venv, {len(notebooks)} notebooks):")
        with tempfile.TemporaryDirectory() as folder:
            floor = measure(f"floor ({len(notebooks)} trivial notebooks)", floor_command(Path(folder), len(notebooks)), args.repeat)
        ratios = []
        if "report" in parts:
            report = measure("make report", ["make", "--no-print-directory", "report"], args.repeat)
            ratios.append(f"  report / floor = {report['seconds'] / floor['seconds']:.2f}   (goal: at most 0.7)")
        if "test" in parts:
            test = measure("make test", ["make", "--no-print-directory", "test"], args.repeat)
            ratios.append(f"  test / floor   = {test['seconds'] / floor['seconds']:.2f}   (goal: at most 10)")
        print("\n" + "\n".join(ratios))
    if "scale" in parts:
        scales()


def scales() -> None:
    print("\nScale (synthetic data; each size in its own process):")
    results = {}
    for figures, strikes in ((100_000, 10_000), (1_000_000, 100_000)):
        results[figures] = scale(figures, strikes)
        timings = results[figures]["timings"]
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
        print(
            f"  {figures:>9,} figures, {strikes:>7,} strikes: total {sum(timings.values()):6.2f} s, peak memory {results[figures]['peak_mib']:6.0f} MiB"
        )
        print(f"      {steps}")
    small, large = (sum(results[n]["timings"].values()) for n in (100_000, 1_000_000))
    print(f"  growth from 100,000 to 1,000,000 figures: x{large / small:.1f} in time for x10 in rows (linear would be about x10)")


if __name__ == "__main__":
    main()
