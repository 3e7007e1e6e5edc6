"""The repository stands alone: no file in it refers to a path outside it.

A user's clone holds only the repository. So no tracked text file (nor a new, not yet ignored
one) may point outside it: no parent-directory steps that climb above the repository root from
the file's folder, no sibling working folders of the development machine (the shared design
notes, the package library), no absolute paths of a development machine. And every relative
Markdown link, and every ``docs/<page>.md#anchor`` cited anywhere (the scenario files cite
``docs/sources.md``), leads to a file of the repository and, inside ``docs/``, to an anchor that
exists; and every package or test path the documentation names exists.

The forbidden patterns are assembled from pieces below, so this file does not match itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path, PurePosixPath

import pytest

REPO = Path(__file__).resolve().parents[1]

UP = "." * 2 + "/"
"""One parent-directory step, written so that this file holds no such path itself."""

SIBLING_FOLDERS = ("shared", "." + "library")
"""Folders beside the repository on the development machine; a clone does not have them."""

MACHINE_ROOTS = ("work", "home", "Users", "root", "mnt", "tmp")
"""Top-level folders whose absolute paths belong to one machine, not to the repository."""

PATH_CHARS = r"[\w.\-~/]"
CLIMBING = re.compile(PATH_CHARS + r"*" + re.escape(UP) + PATH_CHARS + r"*")
"""A path-like token with a parent-directory step somewhere in it."""

SIBLING = re.compile(
    r"(?<![\w.\-])(?:" + "|".join(re.escape(UP + folder) for folder in SIBLING_FOLDERS) + r")\b"
    r"|(?<![\w\-])" + re.escape("." + "library") + r"\b"
    r"|\b" + re.escape("shared/" + "DESIGN") + r"\.md"
    r"|\b" + re.escape("shared/" + "reference") + r"/"
)
"""The design notes and reference folder beside the repository, and the machine's package library."""

MACHINE_PATH = re.compile(r"(?<![\w.:/~\-])/(?:" + "|".join(MACHINE_ROOTS) + r")/" + r"|\b[A-Za-z]:\\Users\\")
"""An absolute path of a development machine (``/`` + ``home/…``, a Windows user folder, …)."""

MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
DOCS_REFERENCE = re.compile(r"(?<![\w./\-])docs/([\w.\-]+\.md)(?:#([A-Za-z0-9_\-]+))?")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")

SKIPPED_DIRS = {
    ".git", ".venv", "venv", ".nox", ".tox", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
    ".hypothesis", ".benchmarks", ".ipynb_checkpoints", "build", "dist", "node_modules",
}  # fmt: skip
"""Folders the fallback walk leaves out: tools' caches and build output (as ``.gitignore`` does)."""


def _walked_files() -> list[str]:
    """Every file under the repository except ignored folders and untracked run outputs (no git needed)."""
    found = []
    for folder, subfolders, files in os.walk(REPO):
        relative = PurePosixPath(Path(folder).relative_to(REPO).as_posix())
        subfolders[:] = [
            name
            for name in subfolders
            if name not in SKIPPED_DIRS
            and not name.endswith(".egg-info")
            and not (relative.parts == ("results",) and name != "baselines")
        ]
        for name in files:
            path = relative / name
            if path.parts[0] == "results" and len(path.parts) == 2 and name != "README.md":
                continue
            found.append(path.as_posix())
    return sorted(found)


def _git_files() -> list[str] | None:
    """Tracked files and new files not ignored, as git sees them; None without git or outside a clone."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({name for name in listing.decode("utf-8").split("\0") if name})


@cache
def repository_files() -> tuple[str, ...]:
    """Paths (relative, with ``/``) of the repository's files that exist in the working tree."""
    names = _git_files()
    if names is None:
        names = _walked_files()
    return tuple(name for name in names if (REPO / name).is_file())


@cache
def text_of(name: str) -> str | None:
    """A file's text, or None for a binary file."""
    data = (REPO / name).read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def text_files() -> Iterator[tuple[str, str]]:
    """(path, text) of every text file of the repository."""
    for name in repository_files():
        text = text_of(name)
        if text is not None:
            yield name, text


def escapes_repository(folder: PurePosixPath, token: str) -> bool:
    """Whether ``token``, read as a path relative to ``folder`` (inside the repository), leads outside it."""
    if token.startswith(("/", "~")):
        return False  # absolute and home paths are judged by the other patterns
    resolved = os.path.normpath(os.path.join(folder.as_posix() or ".", token))
    return resolved == ".." or resolved.startswith(UP)


def outside_references(name: str, text: str) -> list[str]:
    """Each reference in ``text`` (the content of file ``name``) to a path outside the repository."""
    folder = PurePosixPath(name).parent
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in CLIMBING.finditer(line):
            if escapes_repository(folder, match.group()):
                problems.append(f"{name}:{number}: {match.group()!r} climbs above the repository root")
        for pattern, what in ((SIBLING, "a folder beside the repository"), (MACHINE_PATH, "a path of one machine")):
            problems += [f"{name}:{number}: {m.group()!r} is {what}" for m in pattern.finditer(line)]
    return problems


def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    kept = "".join(
        char for char in text if char in " -_" or unicodedata.category(char)[0] in "LMN"
    )  # letters, marks, numbers
    return kept.replace(" ", "-")


@cache
def anchors_of(name: str) -> frozenset[str]:
    """The anchors a Markdown file defines: explicit ``<a id>`` tags and its headings' slugs."""
    text = text_of(name) or ""
    anchors = set(HTML_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    in_fence = False
    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = HEADING.match(line)
        if in_fence or heading is None:
            continue
        base = slug(heading.group(2))
        anchors.add(base if base not in seen else f"{base}-{seen[base]}")
        seen[base] = seen.get(base, 0) + 1
    return frozenset(anchors)


def broken_target(source: str, target: str) -> str | None:
    """Why a link from file ``source`` to ``target`` (``path#anchor``) is broken, or None."""
    path_part, _, anchor = target.partition("#")
    if path_part:
        resolved = os.path.normpath(os.path.join(PurePosixPath(source).parent.as_posix() or ".", path_part))
        if resolved == ".." or resolved.startswith(UP):
            return "leads outside the repository"
        if not (REPO / resolved).exists():
            return "names no file of the repository"
    else:
        resolved = source
    if anchor and resolved.startswith("docs/") and resolved.endswith(".md") and anchor not in anchors_of(resolved):
        return f"names no anchor #{anchor} in {resolved}"
    return None


def broken_links(name: str, text: str) -> list[str]:
    """Relative Markdown links and ``docs/…`` citations in file ``name`` that lead nowhere."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        targets = []
        if name.endswith(".md"):
            targets += [
                target for target in MARKDOWN_LINK.findall(line) if not re.match(r"^[a-z][a-z0-9+.\-]*:", target)
            ]
        here = PurePosixPath(name).parent.as_posix() or "."
        for page, anchor in DOCS_REFERENCE.findall(line):
            relative = os.path.relpath(f"docs/{page}", here)
            targets.append(f"{relative}#{anchor}" if anchor else relative)
        for target in dict.fromkeys(targets):
            reason = broken_target(name, target)
            if reason is not None:
                problems.append(f"{name}:{number}: {target!r} {reason}")
    return problems


def test_no_file_refers_to_a_path_outside_the_repository() -> None:
    """No text file of the repository refers to a path outside it."""
    files = list(text_files())
    assert any(name == "README.md" for name, _ in files), "the repository's files were not found"
    problems = [problem for name, text in files for problem in outside_references(name, text)]
    assert not problems, "references to paths outside the repository:\n" + "\n".join(problems)


def test_links_and_docs_citations_lead_to_the_repository() -> None:
    """Relative Markdown links and ``docs/…#anchor`` citations lead to files (and anchors) that exist."""
    problems = [problem for name, text in text_files() for problem in broken_links(name, text)]
    assert not problems, "broken links:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("README.md", f"The design is in `{UP}{SIBLING_FOLDERS[0]}/DESIGN.md`."),
        ("scenarios/baseline.yaml", f"# Figures cite {UP}{SIBLING_FOLDERS[0]}/reference/parameters.md"),
        ("docs/model.md", f"notes in {SIBLING_FOLDERS[0]}/{'DESIGN'}.md"),
        ("docs/model.md", f"see {UP}{UP}outside/notes.md"),
        ("README.md", f"[notes]({UP}notes.md)"),
        ("tests/unit/test_x.py", f'Path("{UP}{UP}{UP}data.csv")'),
        ("README.md", "packages in /" + "work/." + "library/env"),
        ("notebooks/01.ipynb", '"source": ["open(\'/' + "home/dev/city.yaml')\"]"),
        ("README.md", "C:" + "\\Users\\dev\\simnet"),
    ],
)
def test_outside_references_are_found(name: str, line: str) -> None:
    """The check finds each kind of reference to a path outside the repository."""
    assert outside_references(name, line)


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("docs/README.md", f"The [README]({UP}README.md) covers installing."),
        ("tests/unit/scenario/test_loader.py", f'"extends: {UP}base.yaml"'),
        (".ci/run", 'cd "$(dirname "$0")/' + '.."'),
        ("README.md", "the cache (`~/.cache/simnet/routes`, or `SIMNET_CACHE_DIR`)"),
        ("README.md", "#!/usr/bin/env bash; see https://github.com/" + "home/x and results/runs/"),
        ("docs/model.md", "Scalars follow YAML 1.2 … and the shared line's rate"),
    ],
)
def test_paths_inside_the_repository_pass(name: str, line: str) -> None:
    """Relative paths that stay inside the repository, home caches and URLs are not flagged."""
    assert outside_references(name, line) == []


CODE_PATH = re.compile(r"`((?:simnet|tests)/[\w./\-]*)`")
"""A file or folder of the package or the tests, named in backticks."""


def test_code_named_in_the_docs_exists() -> None:
    """Every ``simnet/…`` or ``tests/…`` path the documentation names exists, so the docs follow the code."""
    problems = [
        f"{name}:{number}: `{path}` does not exist"
        for name, text in text_files()
        if name.startswith("docs/")
        for number, line in enumerate(text.splitlines(), start=1)
        for path in CODE_PATH.findall(line)
        if not (REPO / path).exists()
    ]
    assert not problems, "the documentation names code that is not there:\n" + "\n".join(problems)


def test_anchor_slugs_follow_github() -> None:
    """Heading anchors are computed as GitHub computes them, Chinese and subscripts included."""
    assert slug("4. City hub (市级分拨中心)") == "4-city-hub-市级分拨中心"
    assert slug("1.6 Energy and CO₂ factors") == "16-energy-and-co₂-factors"
    assert slug("`costs`: every yuan booked in the window") == "costs-every-yuan-booked-in-the-window"


def test_fallback_walk_finds_the_tracked_files() -> None:
    """Without git, the walk still finds every file git lists (so the check never silently shrinks)."""
    listed = _git_files()
    if listed is None:
        pytest.skip("git is not available here")
    walked = set(_walked_files())
    missing = [name for name in listed if (REPO / name).is_file() and name not in walked]
    assert not missing, f"the fallback walk misses {missing[:10]}"
