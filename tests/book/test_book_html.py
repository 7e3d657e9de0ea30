"""The built HTML book reads offline: math is typeset by the site's own MathJax
and every image loads, with no internet.

Reads _build/html, so run `make book` first (a missing book fails, saying so).
The static checks read the HTML. The browser checks open every page in headless
Chromium (Debian's `chromium` and `chromium-driver`, driven by selenium with
that chromedriver: nothing is downloaded) over a local http server on
127.0.0.1, with every other host unreachable: a proxy that refuses all
connections and a host resolver that knows no names. Without Chromium they
skip, except where the CI environment variable is set (.ci/run sets it and
installs Chromium), where they fail instead.
Every test here is marked `browser`: `pytest -m browser` runs only these (a few
seconds), `pytest -m "not browser"` leaves them out.
"""
import functools
import json
import os
import re
import shutil
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
# _config.yml's mathjax_path, which Sphinx puts under _static/; `make book` copies it there.
MATHJAX = "_static/mathjax/tex-mml-chtml.js"
BUILD_FIRST = f"run `make book` first: the built book {HTML} is missing or stale"

# Flags that let Debian's Chromium run headless here, as root, with no network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    # Offline: loopback is never proxied; everything else goes to a closed port
    # and no host name resolves, so only the local server can answer.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_S = 20

pytestmark = pytest.mark.browser


def _pages():
    """The book's pages, relative to _build/html (not the redirect index.html)."""
    if not HTML.is_dir():
        return []
    pages = []
    for path in sorted(HTML.rglob("*.html")):
        rel = path.relative_to(HTML)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        if 'http-equiv="Refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue  # jupyter-book's index.html, a redirect to the root page
        pages.append(rel.as_posix())
    return pages


PAGES = _pages() or [pytest.param(None, id="book-not-built")]


def _page(page):
    if page is None:
        pytest.fail(BUILD_FIRST)
    return (HTML / page).read_text(encoding="utf-8")


def _has_math(text):
    return re.search(r'<(span|div) class="math[ "]', text) is not None


def test_book_is_built():
    assert HTML.is_dir() and _pages(), BUILD_FIRST
    assert (HTML / MATHJAX).is_file(), f"{MATHJAX} is not in the built site; {BUILD_FIRST}"


@pytest.mark.parametrize("page", PAGES)
def test_markdown_tables_render_as_tables(page):
    """A table's source text, such as evaluate's report stored as text/markdown, never
    shows on a page: it renders as an HTML table."""
    text = _page(page)
    assert "| metric |" not in text and "|---" not in text, f"{page} shows a Markdown table as text"


# A textbook keeps no lab log: no project-internal goals, no revision history, no
# description of the machines it was built on. (Provenance stays in result files and
# the captions rendered from them.)
LAB_LOG = [
    r"\bthe book's (goal|target)\b",
    r"\bin the previous run\b",
    r"\bbefore these changes\b",
    r"\bmachines? this book was built on\b",
    r"\bnot measured yet\b",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_like_a_textbook(page):
    text = re.sub(r"<[^>]+>", " ", _page(page))  # the words, not the markup
    found = [m.group(0) for pattern in LAB_LOG for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert not found, f"{page} reads like a lab log: {found}"


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_nothing_from_the_internet(page):
    """Scripts and stylesheets are the site's own; pages with math use its MathJax."""
    text = _page(page)
    tags = re.findall(r"<script\b[^>]*>|<link\b[^>]*>", text)
    remote = [
        tag for tag in tags
        if re.search(r"""\b(src|href)=["']?(https?:)?//""", tag)
        and (tag.startswith("<script") or re.search(r"rel=[\"']?(stylesheet|preload|modulepreload)", tag))
    ]
    assert not remote, f"{page} loads from the internet: {remote}"
    if _has_math(text):
        depth = page.count("/")
        src = "../" * depth + MATHJAX
        assert re.search(rf'src="{re.escape(src)}(\?[^"]*)?"', text), (
            f"{page} has math but does not load {src}; {BUILD_FIRST}")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not HTML.is_dir():
        pytest.fail(BUILD_FIRST)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(HTML)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this test must run: .ci/run installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not chromedriver:
        _unavailable("headless Chromium not found: install Debian's chromium and chromium-driver "
                     "(sudo apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    with tempfile.TemporaryDirectory(prefix="ganbook-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        # An explicit driver path: selenium never runs Selenium Manager or downloads anything.
        driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        try:
            driver.set_page_load_timeout(TIMEOUT_S)
            driver.set_script_timeout(TIMEOUT_S)
            driver.get("about:blank")  # past Chromium's start-up page
            yield driver
        finally:
            driver.quit()


# Waits for MathJax's first typeset (and the fonts it asked for), then reports
# what a reader sees: typeset math, TeX errors, undefined macros, raw TeX left in
# the text, and images that did not load.
CHECK_PAGE = r"""
const done = arguments[arguments.length - 1];
const hasMath = arguments[0];
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms));
async function check() {
  const report = {};
  if (hasMath) {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) {
      report.mathjax = 'MathJax did not load (window.MathJax is ' +
        (window.MathJax ? 'only its configuration' : 'undefined') + ')';
    } else {
      await Promise.race([MathJax.startup.promise, timeout(15000, 'MathJax typesetting timed out')]);
      report.version = MathJax.version;
      const elements = [...document.querySelectorAll('span.math, div.math')];
      report.math = elements.length;
      report.untypeset = elements.filter(e => !e.querySelector('mjx-container'))
        .map(e => e.textContent.trim().slice(0, 80));
      report.containers = document.querySelectorAll('mjx-container').length;
      report.errors = [];
      for (const item of MathJax.startup.document.math) {
        const mml = MathJax.startup.toMML(item.root);
        if (/<merror/.test(mml) || /<mtext mathcolor="red">\\/.test(mml)) {
          report.errors.push(item.math.slice(0, 80));
        }
      }
    }
  }
  // Raw TeX delimiters left in the text a reader sees (code blocks excluded).
  const skip = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA', 'NOSCRIPT', 'MJX-CONTAINER']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let e = node.parentElement; e; e = e.parentElement) {
        if (skip.has(e.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  report.rawTex = [];
  for (let node; (node = walker.nextNode());) {
    const text = node.textContent;
    const m = text.search(/\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\\end\{/);
    if (m >= 0) report.rawTex.push(text.slice(Math.max(0, m - 30), m + 50));
  }
  // Images: load every one (lazy ones too), then each must have decoded pixels.
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.race([
    Promise.all(images.map(img => img.complete ? null :
      new Promise(resolve => { img.onload = img.onerror = resolve; }))),
    timeout(10000, 'images did not finish loading'),
  ]).catch(() => null);
  await document.fonts.ready;
  report.images = images.length;
  report.brokenImages = images.filter(img => !(img.complete && img.naturalWidth > 0))
    .map(img => img.currentSrc || img.src);
  return report;
}
check().then(done, error => done({failure: String(error)}));
"""


def _network(driver, origin):
    """Requests to other hosts, and local requests that failed, from Chromium's log."""
    messages = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    # The log is not always in order: see every request before its outcome.
    urls = {m["params"]["requestId"]: m["params"]["request"]["url"]
            for m in messages if m.get("method") == "Network.requestWillBeSent"}
    remote = set()
    for url in urls.values():
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and f"{parts.scheme}://{parts.netloc}/" != origin:
            remote.add(url)
    failed = []
    for message in messages:
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.responseReceived":
            response = params["response"]
            if response["status"] >= 400 and not response["url"].endswith("/favicon.ico"):
                failed.append(f"{response['status']} {response['url']}")
        elif method == "Network.loadingFailed" and params["requestId"] in urls:
            # (Chromium's own requests, with no requestWillBeSent here, are not the page's.)
            url = urls[params["requestId"]]
            if url not in remote and not params.get("canceled"):
                failed.append(f"{params.get('errorText')} {url}")
    return sorted(remote), failed


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline(page, server, browser):
    has_math = _has_math(_page(page))
    browser.get_log("performance")  # drop what earlier pages logged
    browser.get(server + page)
    report = browser.execute_async_script(CHECK_PAGE, has_math)
    remote, failed = _network(browser, server)

    assert "failure" not in report, f"{page}: {report['failure']}"
    problems = []
    if has_math:
        if "mathjax" in report:
            problems.append(f"{report['mathjax']}; {BUILD_FIRST}")
        else:
            if not report["math"] or not report["containers"]:
                problems.append(f"no typeset math (mjx-container): {report}")
            if report["untypeset"]:
                problems.append(f"math left untypeset: {report['untypeset']}")
            if report["errors"]:
                problems.append(f"TeX errors or undefined macros: {report['errors']}")
    if report["rawTex"]:
        problems.append(f"raw TeX in the text: {report['rawTex']}")
    if report["brokenImages"]:
        problems.append(f"images that did not load: {report['brokenImages']}")
    if remote:
        problems.append(f"requests to the internet (blocked here): {remote}")
    if failed:
        problems.append(f"failed requests: {failed}")
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


NOTEBOOK_PAGES = [p for p in _pages() if re.search(r"/(torch|tf)\.html$", p)]


@pytest.mark.parametrize("page", NOTEBOOK_PAGES or [pytest.param(None, id="book-not-built")])
def test_notebook_pages_have_an_open_in_colab_button(page):
    """The launch button opens this very notebook of ganbook.book.project.REPO_URL on Colab."""
    from ganbook.book.project import REPO_BRANCH, REPO_URL

    repo = REPO_URL.removeprefix("https://github.com/")
    notebook = page.removesuffix(".html") + ".ipynb"
    link = f"https://colab.research.google.com/github/{repo}/blob/{REPO_BRANCH}/{notebook}"
    assert link in _page(page), f"{page} has no Open-in-Colab link {link}"
