"""Run the notebooks into build/: `python -m report [-p NAME VALUE]... [-f FILE.yaml]`.

Unlike bare papermill, parameters are checked before anything runs: an unknown name, a name that is not a Python
identifier, a value of the wrong type, a data folder that does not validate, an unknown source or side is rejected
with a message listing the notebooks' parameters.

Each run writes into its own folder build/runs/RUN and only when every notebook has executed and rendered does
build/current switch to it, in one atomic rename (report.publish; build/current.txt where symlinks are not
permitted). build/notebooks, html and charts point into build/current, so a failed or interrupted run leaves the
previous report as it was, and a reader never sees half of a new one. The html folder is the site (report.site).
Source notebooks are never written, except by --refresh-notebooks (maintainers: re-execute them in place).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers.dataset import PROJECT_ROOT
from helpers.printable import printable
from helpers.study import ParameterError

from . import buildfolder, publish, site
from .parameters import NOTEBOOKS_DIR, check_values, describe_parameters, load_parameter_file, notebook_paths, resolve_parameters

# papermill imports nbformat, which imports jsonschema, whose format checker builds an RFC 3987 grammar at import when
# rfc3987_syntax is installed (a jupyter-events dependency): about 3 s per process, for "iri" formats that no notebook
# schema uses. Marked absent in this process, jsonschema skips that one checker.
sys.modules.setdefault("rfc3987_syntax", None)

BUILD_DIR = PROJECT_ROOT / "build"
KERNEL = "python3"
# ipykernel warns on every start that its loopback TCP is unencrypted and logs its own shutdown as an error: noise to a
# reader. A failing cell is reported from the notebook itself, a dying kernel by papermill.
KERNEL_ARGUMENTS = ["--log-level=CRITICAL"]
KERNEL_GRACE = 10  # seconds an interrupted run gives its kernels to end, and then its notebooks' threads to notice
CELL_TIMEOUT = 600  # seconds a cell may run before the run stops with a message naming the notebook (--timeout)
FOLDERS = ("notebooks", "html", "charts")


class NotebookFailed(RuntimeError):
    """A notebook raised an error while it ran."""


def _execute(path: Path, output: Path, parameters: dict, timeout: int = CELL_TIMEOUT) -> None:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(path), str(output), parameters=parameters, kernel_name=KERNEL, cwd=str(NOTEBOOKS_DIR), progress_bar=False,
            log_output=False, request_save_on_cell_execute=False, extra_arguments=KERNEL_ARGUMENTS, execution_timeout=timeout,
        )  # fmt: skip
    except PapermillExecutionError as error:
        raise NotebookFailed(
            f"{path.name} failed in cell {error.cell_index} (execution count {error.exec_count}): {error.ename}: {error.evalue}"
        ) from None
    except CellTimeoutError:
        raise NotebookFailed(f"{path.name} stopped: a cell ran longer than the time limit of {timeout} s (--timeout)") from None
    except DeadKernelError as error:
        raise NotebookFailed(f"{path.name} stopped: its kernel died ({error})") from None
    except (RuntimeError, TimeoutError) as error:
        # nbclient's other kernel failures: a kernel that does not start or stops answering.
        raise NotebookFailed(f"{path.name} stopped: its kernel failed ({type(error).__name__}: {error})") from None


def _remove_stale_runs(build: Path, keep: Path | None, name_others: bool = True) -> None:
    """Remove what the runner made of earlier runs (report.buildfolder marks and lists it); name what it finds of anyone else's
    (once a run: name_others=False when it looks a second time)."""
    for run in sorted((build / "runs").iterdir()):
        if keep is not None and run.resolve() == keep.resolve():
            continue
        if not buildfolder.is_ours(run):
            if name_others:
                _warn(f"kept {run}: the runner did not make it")
            continue
        for path in buildfolder.remove_made(run):
            _warn(f"kept {path}: the runner did not make it (it was in an earlier report's folder)")


def _warn(text: str) -> None:
    _say(f"warning: {text}")


def run_report(
    paths: list[Path], parameters: dict[Path, dict], build: Path = BUILD_DIR, workers: int | None = None, timeout: int = CELL_TIMEOUT
) -> Path:
    """Execute the notebooks with papermill, render them as the site, and publish them as build/current.

    Notebooks run in parallel, one fresh kernel each, up to the number of cores. The build folder must be one the
    runner made (or a new one): anything else is refused with BuildFolderError before anything is written; one run
    at a time writes into it (a second waits for the lock).
    """
    buildfolder.check(build)
    buildfolder.claim(build)
    with buildfolder.locked(build):
        buildfolder.check(build)  # again: the run that held the lock may have left it otherwise
        publish.link_folders(build)
        _remove_stale_runs(build, keep=publish.current_run(build))
        run = build / "runs" / uuid.uuid4().hex
        buildfolder.mark_run(run)
        for name in FOLDERS:
            (run / name).mkdir(parents=True)
        try:
            _run_notebooks(paths, parameters, run, workers, timeout, build)
        except KeyboardInterrupt:
            shutil.rmtree(run, ignore_errors=True)  # in case the run ended between its notebooks and this line
            raise
        # The switch: users' files moved into the new report, which is published, and the old runs removed. A signal waits
        # until it is done (a run stopped halfway would take the files it had moved with it).
        with _signals_deferred():
            buildfolder.record_made(run)
            for old, new in publish.carry_over(build, run):
                _warn(f"kept {old}: the runner did not make it; it moves with the report, now {new}")
            publish.publish(build, run)
            _remove_stale_runs(build, keep=run, name_others=False)
        return run


@contextlib.contextmanager
def _signals_deferred():
    """Ctrl-C and SIGTERM held back for the block, then raised as KeyboardInterrupt (only the main thread sets handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []
    held = {number: signal.signal(number, lambda signum, frame: received.append(signum)) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)
    if received:
        raise KeyboardInterrupt(f"stopped by signal {received[0]}")


def _run_notebooks(paths: list[Path], parameters: dict[Path, dict], run: Path, workers: int | None, timeout: int, build: Path) -> None:
    """Each notebook executed into run/notebooks and rendered into run/html; on any failure, the run moves to build/failed."""
    pages = [site.page_of(path) for path in paths]
    record = site.run_record(paths, parameters)
    title = site.site_title(site.data_folder_of(parameters))

    def one(path: Path, page: site.Page) -> None:
        started = time.monotonic()
        _progress(f"started  {path.stem}")
        output = run / "notebooks" / path.name
        _execute(path, output, {**parameters[path], "charts_dir": str(run / "charts")}, timeout)
        warned = site.render_page(output, run / "html", page, pages, record, parameters[path], title)
        _progress(f"finished {path.stem} in {time.monotonic() - started:.1f} s")
        if warned:
            _progress(f"  {path.stem} printed {warned} warning(s), left out of its page: see notebooks/{path.name} in the report folder")

    pool, futures = ThreadPoolExecutor(max_workers=max(workers or min(len(paths), os.cpu_count() or 1), 1)), []
    try:
        # Largest notebooks first (size stands in for work), so that two workers finish close together.
        jobs = sorted(zip(paths, pages), key=lambda job: job[0].stat().st_size, reverse=True)
        futures = [pool.submit(one, path, page) for path, page in jobs]
        for future in futures:
            future.result()
        site.write_site_files(run / "html", record)
    except KeyboardInterrupt:
        # Interrupted (Ctrl-C, SIGTERM): the kernels are ended, so that none writes on, then the partial run is removed.
        pool.shutdown(wait=False, cancel_futures=True)
        _stop_kernels()
        concurrent.futures.wait(futures, timeout=KERNEL_GRACE)
        shutil.rmtree(run, ignore_errors=True)
        raise
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        _keep_failed(build, run)
        raise
    pool.shutdown()


def _stop_kernels() -> None:
    """End this process's children (the kernels papermill started) and theirs, within KERNEL_GRACE seconds."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=KERNEL_GRACE)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive, timeout=KERNEL_GRACE)


_PRINTING = threading.Lock()


def _progress(line: str) -> None:
    """One line of progress, written whole even from parallel workers (print writes a line and its newline apart)."""
    with _PRINTING:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _keep_failed(build: Path, run: Path) -> None:
    """Move a failed run's executed notebooks to build/failed/ for inspection, away from the report, in place of the last failed
    run's; a file there the runner did not make stays, named in a warning."""
    failed = build / "failed"
    for path in buildfolder.remove_made(failed) if failed.is_dir() else []:
        _warn(f"kept {path}: the runner did not make it")
    failed.mkdir(exist_ok=True)
    executed = sorted((run / "notebooks").glob("*.ipynb")) if (run / "notebooks").is_dir() else []
    moved = [path.name for path in executed if not (failed / path.name).exists()]
    for name in moved:
        shutil.move(str(run / "notebooks" / name), str(failed / name))
    buildfolder.record_made(failed, moved)
    shutil.rmtree(run, ignore_errors=True)


def refresh_notebooks(paths: list[Path]) -> None:
    """Maintainers: re-execute each notebook in place with its default parameters, without timing metadata."""
    import nbformat
    from nbclient import NotebookClient

    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        resources = {"metadata": {"path": str(NOTEBOOKS_DIR)}}
        NotebookClient(notebook, kernel_name=KERNEL, record_timing=False, extra_arguments=KERNEL_ARGUMENTS, resources=resources).execute()
        notebook.metadata.pop("widgets", None)
        publish.write_atomically(path, nbformat.writes(notebook) + "\n")
        print(f"refreshed {path.relative_to(PROJECT_ROOT)}")


def _say(text: str) -> None:
    """A message on stderr, each line with hidden characters shown and undecodable bytes escaped (helpers.printable)."""
    print("\n".join(printable(line, 2000) for line in text.split("\n")), file=sys.stderr)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m report", description="Run the notebooks into build/ (the report).")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a parameter for every notebook that declares it",
    )
    parser.add_argument("-f", "--file", help="YAML file of parameters (name: value)")
    parser.add_argument("--notebooks", default="", help="comma-separated prefixes, e.g. 01,03 (default: all; the overview is always run)")
    parser.add_argument("--build-dir", default=str(BUILD_DIR), help="where the report goes (default: build/)")
    parser.add_argument(
        "--timeout", type=int, default=CELL_TIMEOUT, help=f"seconds a notebook cell may run before the run stops (default: {CELL_TIMEOUT})"
    )
    parser.add_argument("--list-parameters", action="store_true", help="print each notebook's parameters and exit")
    parser.add_argument(
        "--refresh-notebooks", action="store_true", help="maintainers: re-execute notebooks/ in place with default parameters"
    )
    return parser.parse_args(argv)


def _report(args: argparse.Namespace) -> list[Path] | None:
    """What main does once the arguments are parsed; the notebooks run, or None when nothing was to be run."""
    # The overview (00-...) is the site's entry page: every report has it.
    paths = sorted({*notebook_paths("00"), *notebook_paths(args.notebooks)}) if args.notebooks else notebook_paths()
    if args.list_parameters or args.refresh_notebooks:
        print(describe_parameters(paths)) if args.list_parameters else refresh_notebooks(paths)
        return None
    per_notebook = resolve_parameters(paths, load_parameter_file(args.file) if args.file else {}, dict(args.parameter))
    check_values(per_notebook)
    if args.timeout < 1:
        raise ParameterError(f"--timeout must be at least 1 second, not {args.timeout}")
    # Kernels import helpers as this process did, from this project: after a plain (not editable) `pip install .`
    # their own path would find the installed copy, which has no data/ beside it.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
    run_report(paths, per_notebook, Path(args.build_dir).resolve(), timeout=args.timeout)
    return paths


def _published(build: Path) -> Path | None:
    """The run the build folder's report is (resolved), if any."""
    current = publish.current_run(build) if build.is_dir() else None
    return current.resolve() if current else None


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    build = Path(args.build_dir).resolve()
    published = _published(build)
    try:
        paths = _report(args)
    except ParameterError as error:
        _say(f"error: {error}\nNothing was run; {args.build_dir} is unchanged.")
        return 2
    except buildfolder.BuildFolderError as error:
        _say(f"error: {error}\nNothing was run or removed.")
        return 2
    except NotebookFailed as error:
        _say(f"error: {error}\nThe previous report in {args.build_dir} is unchanged; the failed run's notebooks are in {build / 'failed'}.")
        return 1
    except OSError as error:
        # Disk full, a read-only folder, a name the file system refuses: a message, not a traceback.
        where = f" ({error.filename})" if error.filename else ""
        _say(f"error: could not write the report{where}: {error.strerror or error}.\nThe previous report in {args.build_dir} is unchanged.")
        return 1
    except KeyboardInterrupt:
        if _published(build) not in (None, published):
            _say(f"interrupted once the new report was published: the report in {args.build_dir} is complete.")
        else:
            _say(f"interrupted: the previous report in {args.build_dir} is unchanged.")
        return 130
    if paths is not None:
        print(f"Report written ({len(paths)} notebook{'' if len(paths) == 1 else 's'}):")
        for name in FOLDERS:
            print(printable(f"  {build / name}/", 2000))
        print(
            printable(
                f"Open {build / 'html' / site.INDEX_NAME} (the entry page); the run record is {build / 'html' / site.RECORD_NAME}.", 2000
            )
        )
    return 0
