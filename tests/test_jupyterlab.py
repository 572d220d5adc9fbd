"""The notebooks in a real JupyterLab, in a real browser: each one opened, run from the top, checked and photographed.

One JupyterLab server (from this venv, on a free loopback port, behind a random
token) serves a temporary copy of notebooks/, so JupyterLab's autosave never
touches the committed files; one headless Chromium (Debian's, never one
Playwright downloads) visits it. For every notebook the test clears the stored
outputs, runs all cells with JupyterLab's own "Run All Cells" command, waits
for every code cell to have an execution count and the kernel to be idle, and
checks that no cell shows an error and that every chart (each
``page.chart(...)`` call) is on the page as a loaded image. A full-page
screenshot of each notebook goes to .pytest_cache/screenshots/NAME.png (not build/, which the runner keeps to itself).

Without Chromium (``apt-get install chromium``) or Playwright the test is
skipped on a workstation and fails under CI (the CI environment variable set).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SCREENSHOTS = PROJECT_ROOT / ".pytest_cache" / "screenshots"  # not build/: the runner writes only into a folder it made

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = "install Debian's Chromium (as root: apt-get update && apt-get install -y chromium)"

SERVER_START_TIMEOUT = 60  # seconds for JupyterLab to answer /api/status
SERVER_STOP_TIMEOUT = 20  # seconds for a clean shutdown before SIGTERM, then SIGKILL
APP_READY_TIMEOUT = 90_000  # ms for the page, the notebook and its kernel to be ready
RUN_TIMEOUT = 180_000  # ms for "Run All Cells" to finish, per notebook
SETTLE_TIMEOUT = 15_000  # ms for prompts and images to catch up once the run is over
SCREENSHOT_MAX_HEIGHT = 16_000  # px; Chromium cannot capture much taller pages
LOG_TAIL = 6_000  # characters of the server log put in failure messages

# JupyterLab user settings for the run: every cell attached to the page (no
# windowing, so every output is in the DOM and in the screenshot), and no news
# or update checks (there is no network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str, hint: str = INSTALL_HINT) -> None:
    """Skip on a workstation; fail under CI, where the browser test must run."""
    message = f"{reason}; {hint}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def chromium_path() -> str:
    """Debian's Chromium, or skip/fail; never a browser Playwright would download."""
    if DEBIAN_CHROMIUM.exists():
        return str(DEBIAN_CHROMIUM)
    found = shutil.which("chromium")
    if found is None:
        unavailable("no Chromium found (neither /usr/bin/chromium nor `chromium` on PATH)")
    return found


def require_browser():
    """Chromium and Playwright, or skip/fail; returns (executable, sync_playwright)."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"Playwright is not importable ({error})", "it is in requirements.txt: rebuild the venv (rm -rf .venv && make venv)")
    return executable, sync_playwright


def chart_count(notebook: Path) -> int:
    """How many charts the notebook shows: the page.chart( calls in its code cells."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum("".join(cell["source"]).count("page.chart(") for cell in cells if cell["cell_type"] == "code")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    process: subprocess.Popen
    port: int
    token: str
    log_path: Path
    root: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            return f"(no server log: {error})"
        return text[-LOG_TAIL:]

    def api(self, method: str, path: str, timeout: float = 30):
        request = urllib.request.Request(self.base_url + path, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """Delete every session, which shuts its kernel down, so the next notebook has the CPU to itself."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=60)

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then SIGTERM, then SIGKILL; bounded throughout."""
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown", timeout=10)
            except (OSError, urllib.error.URLError):
                pass
            try:
                self.process.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.terminate()  # jupyter_server shuts its kernels down on SIGTERM too
                try:
                    self.process.wait(timeout=SERVER_STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)  # its own session, started below
                    self.process.wait(timeout=SERVER_STOP_TIMEOUT)


def start_server(workdir: Path) -> LabServer:
    """JupyterLab from this venv on a copy of the notebooks, with no user configuration, settings or workspaces."""
    root = workdir / "notebooks"
    root.mkdir()
    for notebook in NOTEBOOKS:
        shutil.copy2(notebook, root / notebook.name)
    write_inert_text_notebook(root / INERT_NOTEBOOK)
    settings = workdir / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values), encoding="utf-8")

    token = secrets.token_hex(24)
    env = {key: value for key, value in os.environ.items() if key not in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH")}
    env.update(
        {
            "JUPYTER_TOKEN": token,  # by environment, so it is not on the command line
            # The user's own Jupyter and IPython folders stay out; the venv's
            # (sys.prefix/share/jupyter, with the python3 kernel spec, and
            # sys.prefix/etc/jupyter) are still searched.
            "JUPYTER_CONFIG_DIR": str(workdir / "jupyter-config"),
            "JUPYTER_DATA_DIR": str(workdir / "jupyter-data"),
            "JUPYTER_RUNTIME_DIR": str(workdir / "jupyter-runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "lab-workspaces"),
            "IPYTHONDIR": str(workdir / "ipython"),
        }
    )
    port = free_port()
    log_path = workdir / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.allow_root=True",  # CI runs as root; this only lifts the refusal to start as root
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, to run JupyterLab's own commands
        "--LabApp.extension_manager=readonly",
        "--LabApp.news_url=None",
    ]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LabServer(process, port, token, log_path, root)
    try:
        wait_for_server(server)
        check_server(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_for_server(server: LabServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {server.process.returncode} before answering.\nServer log:\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(f"{server.base_url}/api/status?token={server.token}", timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError) as error:
            last_error = str(error)
        time.sleep(0.25)  # poll interval of a bounded wait
    pytest.fail(
        f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT} s (last error: {last_error}).\n"
        f"Server log:\n{server.log_tail()}",
        pytrace=False,
    )


def check_server(server: LabServer) -> None:
    """The token is required, and the python3 kernel spec is there to start."""
    try:
        urllib.request.urlopen(f"{server.base_url}/api/status", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 403, f"unauthenticated /api/status answered {error.code}, expected 403"
    else:
        pytest.fail("JupyterLab answered /api/status without the token: authentication is off", pytrace=False)
    specs = server.api("GET", "/api/kernelspecs")
    assert "python3" in specs["kernelspecs"], f"no python3 kernel spec: {sorted(specs['kernelspecs'])}"


@dataclass
class Lab:
    server: LabServer
    browser: object  # playwright.sync_api.Browser


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab server and one headless Chromium for every notebook; both stopped at the end, pass or fail."""
    executable, sync_playwright = require_browser()
    server = start_server(tmp_path_factory.mktemp("jupyterlab"))
    try:
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
            try:
                yield Lab(server, browser)
            finally:
                browser.close()
        finally:
            playwright.stop()
    finally:
        server.stop()


# Every snippet below finds the notebook's panel by its path among the main area's widgets.
PANEL = "Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.context && w.context.path === name)"

NOTEBOOK_READY = f"""name => {{
  if (!window.jupyterapp || !window.jupyterapp.shell) return false;
  const panel = {PANEL};
  if (!panel || !panel.context.isReady || !panel.content || !panel.content.model) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
}}"""

CLEAR_OUTPUTS = f"""async name => {{
  const app = window.jupyterapp;
  const panel = {PANEL};
  app.shell.collapseLeft();
  app.shell.collapseRight();
  app.shell.activateById(panel.id);
  await app.commands.execute('notebook:clear-all-cell-outputs');
  return {{
    open: Array.from(app.shell.widgets('main')).map(w => w.title.label),
    images: panel.content.node.querySelectorAll('.jp-OutputArea-output img').length,
    prompts: Array.from(panel.content.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map(p => p.textContent.trim()),
  }};
}}"""

# The command returns NotebookActions.runAll's promise: true once every cell ran, false if one failed.
START_RUN_ALL = f"""name => {{
  const app = window.jupyterapp;
  app.shell.activateById({PANEL}.id);
  window.__runAll = null;
  app.commands.execute('notebook:run-all-cells').then(
    ok => {{ window.__runAll = {{ok: ok === true}}; }},
    error => {{ window.__runAll = {{ok: false, error: String(error)}}; }});
}}"""

RUN_FINISHED = f"""name => {{
  const panel = {PANEL};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return window.__runAll !== null && !!kernel && kernel.status === 'idle';
}}"""

SETTLED = f"""name => {{
  const panel = {PANEL};
  const prompts = Array.from(panel.content.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));
  const images = Array.from(panel.content.node.querySelectorAll('.jp-OutputArea-output img'));
  return prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim())) && images.every(i => i.complete);
}}"""

# Every table's columns, each a list of its cells (header first) with their text and alignment as shown.
TABLE_COLUMNS = """root => Array.from(root.querySelectorAll('table')).flatMap(t => {
  const rows = Array.from(t.rows).map(r => Array.from(r.cells));
  const count = Math.max(0, ...rows.map(r => r.length));
  return Array.from({length: count}, (_, i) => rows.filter(r => r[i]).map(r => r[i]).map(c => ({
    text: c.textContent.trim(), header: c.tagName === 'TH', align: getComputedStyle(c).textAlign})));
})"""


def misaligned(columns: list[list[dict]]) -> list[str]:
    """Columns not aligned as a reader expects: one whose every cell reads as a number on the right, any other on the left."""
    from helpers import page as show

    wrong = []
    for column in columns:
        texts = [c["text"] for c in column if not c["header"] and c["text"]]
        expected = "right" if texts and all(show.NUMBER_TEXT.fullmatch(t) for t in texts) else "left"
        cells = [c["text"][:40] for c in column if c["align"] != expected]
        if cells:
            wrong.append(f"column “{column[0]['text']}” should be aligned {expected}: {cells}")
    return wrong


STATE = f"""name => {{
  const panel = {PANEL};
  const node = panel.content.node;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const errors = [];
  for (const cell of Array.from(panel.content.widgets)) {{
    if (cell.model.type !== 'code') continue;
    for (const output of cell.model.outputs.toJSON()) {{
      if (output.output_type === 'error') errors.push(`${{output.ename}}: ${{output.evalue}}`);
    }}
  }}
  for (const shown of node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {{
    const text = shown.textContent;
    if (/Traceback|Error/.test(text)) errors.push(text.slice(0, 2000));
  }}
  return {{
    run: window.__runAll,
    kernel: kernel ? kernel.status : 'no kernel',
    prompts: Array.from(node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map(p => p.textContent.trim()),
    errors: errors,
    columns: ({TABLE_COLUMNS})(node),
    images: Array.from(node.querySelectorAll('.jp-OutputArea-output img')).map(i => ({{
      mime: i.closest('.jp-OutputArea-output').getAttribute('data-mime-type'),
      complete: i.complete,
      naturalWidth: i.naturalWidth,
      naturalHeight: i.naturalHeight,
    }})),
  }};
}}"""

# Runs in the notebook's kernel, outside any cell: where its Python lives.
KERNEL_PREFIX = f"""async name => {{
  const kernel = {PANEL}.sessionContext.session.kernel;
  const future = kernel.requestExecute({{code: 'import sys; print(sys.prefix, end="")', store_history: false}});
  let text = '';
  future.onIOPub = message => {{ if (message.header.msg_type === 'stream') text += message.content.text; }};
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('kernel did not answer in 30 s')), 30000));
  await Promise.race([future.done, timeout]);
  return text;
}}"""

# Height the page needs for the notebook's own scroller to show everything at once.
FULL_HEIGHT = f"""name => {{
  const panel = {PANEL};
  const scroller = panel.content.node.querySelector('.jp-WindowedPanel-outer') || panel.content.node;
  scroller.scrollTop = 0;
  return window.innerHeight + scroller.scrollHeight - scroller.clientHeight;
}}"""

NEXT_FRAME = "() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))"


def screenshot(page, name: str, path: Path) -> None:
    """The whole notebook: the viewport made as tall as the notebook's scroller needs (capped), then a full-page shot."""
    height = min(max(int(page.evaluate(FULL_HEIGHT, name)) + 40, 800), SCREENSHOT_MAX_HEIGHT)
    page.set_viewport_size({"width": 1280, "height": height})
    page.evaluate(NEXT_FRAME)
    page.evaluate(FULL_HEIGHT, name)  # back to the top after the resize
    page.evaluate(NEXT_FRAME)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab(notebook: Path, request):
    require_browser()  # before the fixture, so a missing browser under CI is a failed test
    lab: Lab = request.getfixturevalue("lab")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    name = notebook.name
    charts = chart_count(notebook)
    shot = SCREENSHOTS / f"{notebook.stem}.png"
    page_errors: list[str] = []

    def fail(what: str, state=None) -> None:
        details = f"\nNotebook state: {json.dumps(state, indent=1)}" if state is not None else ""
        errors = f"\nPage errors: {page_errors}" if page_errors else ""
        pytest.fail(f"{name}: {what}{details}{errors}\nScreenshot: {shot}\nServer log (tail):\n{lab.server.log_tail()}", pytrace=False)

    context = lab.browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        # ?reset: a fresh workspace, so the notebooks opened before are not reopened (with their kernels).
        page.goto(f"{lab.server.base_url}/lab/tree/{name}?token={lab.server.token}&reset", timeout=60_000)
        try:
            page.wait_for_function(NOTEBOOK_READY, arg=name, timeout=APP_READY_TIMEOUT, polling=250)
            ready = True
        except PlaywrightTimeout:
            ready = False
        if not ready:
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
            fail(f"JupyterLab did not show the notebook with an idle kernel within {APP_READY_TIMEOUT // 1000} s")

        cleared = page.evaluate(CLEAR_OUTPUTS, name)
        assert cleared["open"] == [name], f"other documents open besides {name}: {cleared['open']}"
        assert cleared["images"] == 0 and not any(p.strip("[ ]:") for p in cleared["prompts"]), (
            f"clearing the stored outputs left images or execution counts: {cleared}"
        )

        started = time.monotonic()
        page.evaluate(START_RUN_ALL, name)
        finished = True
        try:
            page.wait_for_function(RUN_FINISHED, arg=name, timeout=RUN_TIMEOUT, polling=250)
            if page.evaluate("() => window.__runAll.ok"):  # after a failed cell the rest stay unnumbered
                page.wait_for_function(SETTLED, arg=name, timeout=SETTLE_TIMEOUT, polling=250)
        except PlaywrightTimeout:
            finished = False
        state = page.evaluate(STATE, name)
        if not finished:
            screenshot(page, name, shot)
            fail(
                "Run All Cells did not finish (every prompt numbered, every image loaded, kernel idle) "
                f"within {(RUN_TIMEOUT + SETTLE_TIMEOUT) // 1000} s",
                state,
            )
        elapsed = time.monotonic() - started

        kernel_prefix = page.evaluate(KERNEL_PREFIX, name)
        screenshot(page, name, shot)
    finally:
        context.close()
        try:
            lab.server.shut_down_kernels()
        except (OSError, urllib.error.URLError) as error:  # the server's own shutdown still stops them
            warnings.warn(f"could not shut the kernels down after {name}: {error}", stacklevel=1)

    assert not state["errors"], f"{name}: cells show errors:\n" + "\n\n".join(state["errors"])
    assert state["run"] == {"ok": True}, f"{name}: Run All Cells reported {state['run']}"
    assert state["prompts"] and all(p[1:-2].isdigit() for p in state["prompts"]), (
        f"{name}: code cells without an execution count: {state['prompts']}"
    )
    assert Path(kernel_prefix).resolve() == Path(sys.prefix).resolve(), (
        f"{name}: the kernel ran in {kernel_prefix!r}, not in this venv ({sys.prefix})"
    )
    assert not misaligned(state["columns"]), f"{name}: " + "; ".join(misaligned(state["columns"]))
    images = state["images"]
    assert len(images) == charts, f"{name}: {len(images)} images shown for {charts} page.chart(...) calls: {images}"
    assert all(i["mime"] == "image/png" and i["naturalWidth"] > 0 and i["naturalHeight"] > 0 for i in images), (
        f"{name}: charts not shown as loaded PNG images: {images}"
    )
    print(f"{name}: {len(state['prompts'])} code cells, {charts} charts, run in {elapsed:.1f} s; screenshot {shot}")


# ---------------------------------------------------------------------------
# Text from the data stays text in JupyterLab: no link, no math, no heading, no markup.

INERT_NOTEBOOK = "98-inert-text.ipynb"
HOSTILE_TEXTS = [
    "see https://example.org/report or www.example.com",
    "write to press@example.org",
    "$5 and $10",
    r"\(x^2\) and $$y$$",
    "# Not a heading",
    "*not bold* <b>not bold</b> [not a link](https://example.org)",
]


def write_inert_text_notebook(path: Path) -> None:
    """A notebook whose stored outputs are what helpers.show displays for hostile data text."""
    import nbformat
    import pandas as pd
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    sys.path.insert(0, str(PROJECT_ROOT))
    from helpers import text

    prose = "\n\n".join(f"- {text.escape_markdown(h)}" for h in HOSTILE_TEXTS)
    from helpers import page as show

    table = show.table_html(pd.DataFrame({"note": HOSTILE_TEXTS, "count": range(1, len(HOSTILE_TEXTS) + 1)}))
    cell = new_code_cell(
        "# outputs stored by the test",
        outputs=[
            new_output("display_data", data={"text/markdown": prose, "text/plain": text.markdown_to_plain(prose)}),
            new_output("display_data", data={"text/html": table, "text/plain": "table"}),
        ],
    )
    nbformat.write(
        new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), path
    )


INERT_STATE = f"""name => {{
  const panel = {PANEL};
  const outputs = panel.content.node.querySelectorAll('.jp-OutputArea-output');
  const area = Array.from(outputs);
  return {{
    outputs: area.length,
    links: area.flatMap(o => Array.from(o.querySelectorAll('a')).map(a => a.outerHTML)),
    math: area.flatMap(o => Array.from(o.querySelectorAll('mjx-container, .MathJax, math, .katex')).map(m => m.outerHTML)),
    markup: area.flatMap(o => Array.from(o.querySelectorAll('h1, h2, h3, h4, em, strong, b, code')).map(m => m.outerHTML)),
    text: area.map(o => o.textContent).join('\\n'),
    columns: ({TABLE_COLUMNS})(panel.content.node),
  }};
}}"""


def test_data_text_is_inert_in_jupyterlab(request):
    require_browser()
    lab: Lab = request.getfixturevalue("lab")
    context = lab.browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{lab.server.base_url}/lab/tree/{INERT_NOTEBOOK}?token={lab.server.token}&reset", timeout=60_000)
        page.wait_for_function(NOTEBOOK_READY, arg=INERT_NOTEBOOK, timeout=APP_READY_TIMEOUT, polling=250)
        page.wait_for_function(
            f"name => {{ const panel = {PANEL}; return panel.content.node.querySelectorAll('.jp-OutputArea-output').length >= 2; }}",
            arg=INERT_NOTEBOOK,
            timeout=30_000,
        )
        page.wait_for_timeout(3_000)  # MathJax typesets after rendering: give it time to (wrongly) act
        state = page.evaluate(INERT_STATE, INERT_NOTEBOOK)
        screenshot(page, INERT_NOTEBOOK, SCREENSHOTS / "98-inert-text.png")
    finally:
        context.close()
        lab.server.shut_down_kernels()
    assert state["outputs"] >= 2, state
    assert not state["links"], f"data text became links: {state['links']}"
    assert not state["math"], f"data text became math: {state['math']}"
    assert not state["markup"], f"data text became markup: {state['markup']}"
    for hostile in HOSTILE_TEXTS:
        assert hostile in state["text"], (hostile, state["text"])
    # An untrusted notebook's tables keep their alignment through JupyterLab's sanitizer.
    assert len(state["columns"]) == 2 and not misaligned(state["columns"]), state["columns"]
