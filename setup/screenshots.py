"""Screenshots of the manager's view for the README, from the demo database.

Started by setup/screenshots.sh with the Odoo interpreter. It serves the demo
database with Odoo on a free loopback port, logs in as admin/admin, drives
Debian's headless Chromium through the DevTools protocol and writes:

- dashboard.png: the scorecard dashboard (CRM → Scorecards → Dashboard);
- scorecard.png: the form of the "All customers" demo scorecard;
- strategy_map.png: its strategy map, an objective's side panel open;
- workbook.png: the scorecards' workbook (the browser's Export to Excel
  download of every active scorecard) converted to HTML by headless
  LibreOffice, as Chromium shows it.

Each screen is captured once it has rendered: the script polls the page for
the component's root element, its data and drawn charts, and the absence of
Odoo's loading indicators, never a fixed delay. Odoo, Chromium and LibreOffice
are stopped and their temporary files removed whatever happens.

Usage: python setup/screenshots.py --database DB --addons-path PATH
       [--out DIR] [--width W] [--height H] [--chromium EXE] [--soffice EXE]
"""

import argparse
import base64
import contextlib
import io
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

LOGIN = "admin"
PASSWORD = "admin"
DASHBOARD_ACTION = "crm_bsc_scorecard.crm_bsc_dashboard_action"
SCORECARD_ACTION = "crm_bsc_scorecard.crm_bsc_scorecard_action"
SCORECARD_XMLID = ("crm_bsc_scorecard", "scorecard_all_customers")
# the objective whose side panel is shown: driven by two objectives, driving a
# third, with a varied score history behind each link
OBJECTIVE_XMLID = ("crm_bsc_scorecard", "objective_acquire")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--remote-debugging-port=0",
]
SERVER_TIMEOUT = 180
SCREEN_TIMEOUT = 180

# Odoo's busy states: the "Loading…" indicator, a blocked UI, a spinner.
NOT_BUSY = (
    "!document.querySelector('.o_loading_indicator, .o_blockUI, .o_spinner,"
    " .fa-spin, .o_form_view .o_form_saving')"
)

# What the page shows instead of the screen: a string, or null.
PAGE_FAILURE = """(() => {
    if (location.pathname.startsWith('/web/login')) {
        return 'Odoo shows its login page: the session was refused';
    }
    const error = document.querySelector('.o_error_dialog');
    if (error) {
        return 'Odoo shows an error: ' + error.innerText.trim().slice(0, 500);
    }
    return null;
})()"""


class ScreenshotError(Exception):
    """A failure that the script reports in one clear message."""


def log(message):
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.25):
    """Calls predicate until it returns something true; its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ScreenshotError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def stop_process_group(proc, grace=20):
    """Stops a process started in its own session, and all its children."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def tail(path, lines=25):
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ----------------------------------------------------------------------
# Odoo
# ----------------------------------------------------------------------
def check_database(database):
    """Refuses a database that does not exist or lacks the addons: Odoo
    would create a missing one when started on it."""
    import psycopg2

    try:
        connection = psycopg2.connect(dbname=database)
    except psycopg2.OperationalError as error:
        raise ScreenshotError(
            f"cannot open the database {database} ({str(error).strip()}): "
            "make it with setup/demo.sh --no-serve (DEMO_DB names it)"
        ) from error
    try:
        with connection.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM ir_module_module WHERE state = 'installed'"
                " AND name IN ('crm_bsc_scorecard', 'crm_csf_planning')"
            )
            installed = cr.fetchone()[0]
    except psycopg2.Error as error:
        raise ScreenshotError(f"{database} is not an Odoo database") from error
    finally:
        connection.close()
    if installed != 2:
        raise ScreenshotError(
            f"{database} does not have both addons installed: make it with "
            "setup/demo.sh --no-serve"
        )


class OdooServer:
    """Odoo serving one database on a loopback port, without cron threads."""

    def __init__(self, python, database, addons_path, workdir):
        self.python = python
        self.database = database
        self.addons_path = addons_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "odoo.log"
        self.proc = None
        self.session = None

    def start(self):
        import requests

        command = [
            self.python,
            "-m",
            "odoo",
            "-d",
            self.database,
            f"--addons-path={self.addons_path}",
            f"--http-port={self.port}",
            "--http-interface=127.0.0.1",
            f"--db-filter=^{self.database}$",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
        with open(self.log_path, "wb") as log_file:
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.session = requests.Session()

        def answers():
            if self.proc.poll() is not None:
                raise ScreenshotError(
                    f"Odoo exited with code {self.proc.returncode}; the end of its "
                    f"log:\n{tail(self.log_path)}"
                )
            try:
                response = self.session.get(f"{self.url}/web/login", timeout=10)
            except requests.RequestException:
                return False
            return response.status_code == 200

        wait_for(answers, SERVER_TIMEOUT, f"Odoo to answer on {self.url}", 0.5)

    def stop(self):
        if self.session is not None:
            with contextlib.suppress(Exception):
                self.call("/web/session/destroy", {})
            self.session.close()
        stop_process_group(self.proc)

    def call(self, route, params):
        response = self.session.post(
            f"{self.url}{route}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            error = body["error"]
            message = error.get("data", {}).get("message") or error.get("message")
            raise ScreenshotError(f"{route}: {message}")
        return body["result"]

    def call_kw(self, model, method, args, **kwargs):
        return self.call(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def login(self):
        result = self.call(
            "/web/session/authenticate",
            {"db": self.database, "login": LOGIN, "password": PASSWORD},
        )
        if not result or not result.get("uid"):
            raise ScreenshotError(f"could not log in as {LOGIN}/{PASSWORD}")
        session_id = self.session.cookies.get("session_id")
        if not session_id:
            raise ScreenshotError("Odoo set no session cookie at login")
        return session_id

    def xmlid_to_res_id(self, module, name):
        rows = self.call_kw(
            "ir.model.data",
            "search_read",
            [[("module", "=", module), ("name", "=", name)]],
            fields=["res_id"],
            limit=1,
        )
        if not rows:
            raise ScreenshotError(
                f"{module}.{name} is not in {self.database}: is it the demo database "
                "(setup/demo.sh)?"
            )
        return rows[0]["res_id"]

    def download_workbook(self, target):
        """The Export to Excel download of every active scorecard."""
        ids = self.call_kw("crm.bsc.scorecard", "search", [[("state", "=", "active")]])
        if not ids:
            raise ScreenshotError(f"{self.database} has no active scorecard")
        response = self.session.get(
            f"{self.url}/crm_bsc_scorecard/export/xlsx",
            params={"ids": ",".join(map(str, ids))},
            timeout=300,
        )
        if response.status_code != 200 or not response.content.startswith(b"PK"):
            raise ScreenshotError(
                f"the workbook download answered {response.status_code}, "
                f"{response.headers.get('Content-Type')}"
            )
        target.write_bytes(response.content)
        return target


# ----------------------------------------------------------------------
# Chromium through the DevTools protocol
# ----------------------------------------------------------------------
class Chromium:
    """Headless Chromium with one page, driven over its DevTools websocket."""

    def __init__(self, executable, workdir, width, height):
        self.executable = executable
        self.profile = workdir / "chromium-profile"
        self.width = width
        self.height = height
        self.proc = None
        self.ws = None
        self.session_id = None
        self.next_id = 0

    def start(self):
        import websocket

        self.profile.mkdir()
        self.proc = subprocess.Popen(
            [
                self.executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        port_file = self.profile / "DevToolsActivePort"

        def endpoint():
            if self.proc.poll() is not None:
                raise ScreenshotError(
                    f"{self.executable} exited with code {self.proc.returncode}"
                )
            try:
                lines = port_file.read_text().split()
            except OSError:
                return None
            return lines if len(lines) >= 2 else None

        port, path = wait_for(endpoint, 60, "Chromium's DevTools port")
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=SCREEN_TIMEOUT, suppress_origin=True
        )
        target = self.send("Target.createTarget", url="about:blank", browser=True)
        attached = self.send(
            "Target.attachToTarget",
            targetId=target["targetId"],
            flatten=True,
            browser=True,
        )
        self.session_id = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def stop(self):
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.send("Browser.close", browser=True)
            with contextlib.suppress(Exception):
                self.ws.close()
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
        stop_process_group(self.proc, grace=10)

    def send(self, method, browser=False, **params):
        """Sends a command (to the page unless browser) and returns its result,
        skipping the events that arrive meanwhile."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if not browser:
            message["sessionId"] = self.session_id
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") != self.next_id:
                continue
            if "error" in reply:
                raise ScreenshotError(f"Chromium {method}: {reply['error']}")
            return reply.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get(
                "text"
            )
            raise ScreenshotError(f"page script failed: {text}")
        return result["result"].get("value")

    def set_cookie(self, url, name, value):
        self.send("Network.setCookie", url=url, name=name, value=value, httpOnly=True)

    def navigate(self, url):
        result = self.send("Page.navigate", url=url)
        if result.get("errorText"):
            raise ScreenshotError(
                f"Chromium could not open {url}: {result['errorText']}"
            )

    def wait_until(self, condition, what):
        """Polls a page expression until it is true twice in a row (the page
        has settled), then lets the browser paint two frames. Fails at once
        on Odoo's login page or an error dialog."""
        settled = {"count": 0}

        def ready():
            failure = self.evaluate(PAGE_FAILURE)
            if failure:
                raise ScreenshotError(f"waiting for {what}: {failure}")
            if self.evaluate(f"Boolean({condition})"):
                settled["count"] += 1
            else:
                settled["count"] = 0
            return settled["count"] >= 2

        wait_for(ready, SCREEN_TIMEOUT, what)
        self.evaluate(
            "new Promise((done) => requestAnimationFrame(() =>"
            " requestAnimationFrame(() => done(true))))"
        )

    def screenshot(self):
        data = self.send("Page.captureScreenshot", format="png", fromSurface=True)
        return base64.b64decode(data["data"])


def save_png(data, target):
    """Writes a screenshot as a palette PNG (a quarter of the size, the same
    picture to the eye for a user interface)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
    image.save(target, format="PNG", optimize=True)
    return target


# ----------------------------------------------------------------------
# The screens
# ----------------------------------------------------------------------
def odoo_ready(root_selector, extra="true"):
    return (
        f"document.querySelector({json.dumps(root_selector)}) && {NOT_BUSY}"
        f" && document.fonts.status === 'loaded' && ({extra})"
    )


def charts_drawn(selector):
    """True when every canvas under selector has a Chart.js chart."""
    return (
        f"[...document.querySelectorAll({json.dumps(selector + ' canvas')})]"
        ".every((c) => window.Chart && window.Chart.getChart(c))"
        f" && document.querySelectorAll({json.dumps(selector + ' canvas')}).length"
    )


def shoot_dashboard(browser, server):
    browser.navigate(f"{server.url}/odoo/action-{DASHBOARD_ACTION}")
    browser.wait_until(
        odoo_ready(
            ".o_crm_bsc_dashboard",
            "document.querySelector('.o_crm_bsc_dashboard .o_crm_bsc_card') && "
            + charts_drawn(".o_crm_bsc_dashboard"),
        ),
        "the dashboard's cards and trend chart",
    )
    return browser.screenshot()


def shoot_scorecard(browser, server, scorecard_id):
    browser.navigate(f"{server.url}/odoo/action-{SCORECARD_ACTION}/{scorecard_id}")
    browser.wait_until(
        odoo_ready(
            ".o_form_view .o_form_sheet",
            "document.querySelector('.o_form_view .o_field_widget[name=name]')"
            " && document.querySelector("
            "'.o_form_view button[name=action_open_strategy_map]')",
        ),
        "the scorecard's form",
    )
    return browser.screenshot()


def shoot_strategy_map(browser, objective_id):
    """From the scorecard's form (open): its Strategy Map button, then a
    click on the objective."""
    browser.evaluate(
        "document.querySelector('.o_form_view button[name=action_open_strategy_map]')"
        ".click(), true"
    )
    node = (
        ".o_crm_bsc_strategy_map"
        f" .o_crm_bsc_objective[data-objective-id='{objective_id}']"
    )
    browser.wait_until(odoo_ready(node), "the strategy map")
    browser.evaluate(
        f"document.querySelector({json.dumps(node)}).dispatchEvent("
        "new MouseEvent('click', {bubbles: true})), true"
    )
    browser.wait_until(
        odoo_ready(
            ".o_crm_bsc_map_panel",
            "document.querySelector('.o_crm_bsc_map_panel .o_crm_bsc_map_indicators"
            " tbody tr') && " + charts_drawn(".o_crm_bsc_map_panel"),
        ),
        "the objective's side panel and its trend chart",
    )
    return browser.screenshot()


def convert_workbook(soffice, workbook, workdir):
    """The workbook as LibreOffice writes it to HTML (every sheet, one page)."""
    outdir = workdir / "html"
    outdir.mkdir()
    profile = (workdir / "lo-profile").as_uri()
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "html",
            "--outdir",
            str(outdir),
            str(workbook),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired as error:
        raise ScreenshotError(
            "LibreOffice did not convert the workbook in 300 s"
        ) from error
    finally:
        stop_process_group(proc, grace=5)
    html = outdir / (workbook.stem + ".html")
    if proc.returncode != 0 or not html.exists():
        raise ScreenshotError(
            f"LibreOffice could not convert the workbook (code {proc.returncode}): "
            + output.decode(errors="replace").strip()
        )
    return html


def shoot_workbook(browser, html):
    browser.navigate(html.as_uri())
    browser.wait_until(
        "document.readyState === 'complete' && document.querySelector('table')"
        " && [...document.images].every((img) => img.complete)"
        " && document.fonts.status === 'loaded'",
        "the workbook's HTML",
    )
    return browser.screenshot()


def find_executable(given, names, what):
    for name in [given] if given else names:
        path = shutil.which(name)
        if path:
            return path
    raise ScreenshotError(
        f"{what} is not installed (looked for {', '.join([given] if given else names)})"
    )


def take_screenshots(args, workdir):
    check_database(args.database)
    chromium = find_executable(
        args.chromium,
        ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"],
        "Chromium",
    )
    soffice = find_executable(args.soffice, ["soffice", "libreoffice"], "LibreOffice")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    server = OdooServer(args.odoo_python, args.database, args.addons_path, workdir)
    browser = Chromium(chromium, workdir, args.width, args.height)
    try:
        log(f"Serving {args.database} on {server.url} for the screenshots.")
        server.start()
        session_id = server.login()
        scorecard_id = server.xmlid_to_res_id(*SCORECARD_XMLID)
        objective_id = server.xmlid_to_res_id(*OBJECTIVE_XMLID)
        workbook = server.download_workbook(workdir / "crm_bsc_demo_scorecards.xlsx")
        html = convert_workbook(soffice, workbook, workdir)
        browser.start()
        browser.set_cookie(server.url, "session_id", session_id)
        shots = [
            ("dashboard.png", lambda: shoot_dashboard(browser, server)),
            ("scorecard.png", lambda: shoot_scorecard(browser, server, scorecard_id)),
            ("strategy_map.png", lambda: shoot_strategy_map(browser, objective_id)),
            ("workbook.png", lambda: shoot_workbook(browser, html)),
        ]
        # all four or none: a failure keeps the screenshots there were
        staged = workdir / "png"
        staged.mkdir()
        for name, shoot in shots:
            try:
                data = shoot()
            except ScreenshotError as error:
                raise ScreenshotError(f"{name}: {error}") from error
            save_png(data, staged / name)
    finally:
        browser.stop()
        server.stop()
    written = []
    for name, _shoot in shots:
        target = out / name
        shutil.move(staged / name, target)
        written.append(target)
        log(f"Wrote {target} ({target.stat().st_size // 1024} KiB)")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--chromium", help="the Chromium executable")
    parser.add_argument("--soffice", help="the LibreOffice executable")
    parser.add_argument(
        "--odoo-python", default=sys.executable, help="the interpreter that runs Odoo"
    )
    args = parser.parse_args(argv)

    def interrupted(signum, _frame):
        raise SystemExit(f"screenshots: interrupted by signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, interrupted)
    try:
        with tempfile.TemporaryDirectory(prefix="crm_bsc_screenshots_") as tmp:
            take_screenshots(args, pathlib.Path(tmp))
    except ScreenshotError as error:
        sys.stderr.write(f"screenshots: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
