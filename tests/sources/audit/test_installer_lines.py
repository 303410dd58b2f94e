"""The installer output line grammar (commands/installer_lines.py), over real output shapes.

Lines as pip, uv, poetry, pdm and pipx print them; the sources of each shape are noted in
tests/data/github_actions/README.md ("Installer output lines").
"""

from __future__ import annotations

import pytest

from scoper.sources.audit.commands.installer_lines import Action, InstallLine, installs_in_line


def _pip(name: str, version: str | None, spec: str | None = None) -> InstallLine:
    return InstallLine("PyPI", name, version, "install", "pip", spec)


def _one(name: str, version: str, installer: str, action: Action = "install") -> InstallLine:
    return InstallLine("PyPI", name, version, action, installer)


CASES = [
    # pip
    (
        "Collecting requests==2.31.0 (from -r requirements.txt (line 1))",
        [_pip("requests", "2.31.0", "==2.31.0")],
    ),
    ("Collecting litellm>=1.80", [_pip("litellm", None, ">=1.80")]),
    ("Collecting pip", [_pip("pip", None)]),
    (
        "Collecting urllib3<3,>=1.21.1 (from requests==2.31.0->-r requirements.txt (line 1))",
        [_pip("urllib3", None, "<3,>=1.21.1")],
    ),
    ("  Downloading litellm-1.82.8-py3-none-any.whl (9.1 MB)", [_pip("litellm", "1.82.8")]),
    ("  Downloading litellm-1.82.8-py3-none-any.whl.metadata (38 kB)", []),
    (
        "  Using cached charset_normalizer-3.4.1-cp311-cp311-manylinux_2_17_x86_64."
        "manylinux2014_x86_64.whl (143 kB)",
        [_pip("charset-normalizer", "3.4.1")],
    ),
    ("  Downloading telnyx-4.87.1.tar.gz (120 kB)", [_pip("telnyx", "4.87.1")]),
    (
        "  Downloading https://files.pythonhosted.org/packages/70/8e/requests-2.31.0-py3-none-any.whl"
        " (62kB)",
        [_pip("requests", "2.31.0")],
    ),
    (
        "Successfully installed certifi-2026.1.4 charset_normalizer-3.4.1 idna-3.10",
        [_pip("certifi", "2026.1.4"), _pip("charset-normalizer", "3.4.1"), _pip("idna", "3.10")],
    ),
    (
        "Requirement already satisfied: pip in /opt/hostedtoolcache/Python/3.11.9/x64/lib/"
        "python3.11/site-packages (24.0)",
        [_pip("pip", "24.0")],
    ),
    (
        "Requirement already satisfied: packaging>=19.1 in ./.venv/lib/python3.12/site-packages "
        "(from build==1.2.2) (24.2)",
        [_pip("packaging", "24.2")],
    ),
    ("  Successfully uninstalled pip-24.0", [_one("pip", "24.0", "pip", "uninstall")]),
    ("Installing collected packages: twine, build", []),
    # uv
    (" + httpx==0.28.1", [_one("httpx", "0.28.1", "uv")]),
    (" - cryptography==49.0.0", [_one("cryptography", "49.0.0", "uv", "uninstall")]),
    (" ~ example==1.0.0", [_one("example", "1.0.0", "uv")]),
    (
        " - template==0.1.0 (from file:///Users/me/template-tutorial)",
        [_one("template", "0.1.0", "uv", "uninstall")],
    ),
    (
        " \x1b[32m+\x1b[39m \x1b[1mlitellm\x1b[0m\x1b[2m==1.82.7\x1b[0m",
        [_one("litellm", "1.82.7", "uv")],
    ),
    ("Installed 12 packages in 25ms", []),
    ("Uninstalled 1 package in 1ms", []),
    ("Resolved 41 packages in 2ms", []),
    ("- foo==1.0", []),  # a list item, not uv's one-space-indented line
    # poetry
    ("  - Installing telnyx (4.87.1)", [_one("telnyx", "4.87.1", "poetry")]),
    ("  - Updating attrs (23.2.0 -> 25.1.0)", [_one("attrs", "25.1.0", "poetry")]),
    ("  - Downgrading idna (3.10 -> 3.7)", [_one("idna", "3.7", "poetry")]),
    ("  - Removing six (1.16.0)", [_one("six", "1.16.0", "poetry", "uninstall")]),
    ("  • Installing certifi (2024.2.2)", [_one("certifi", "2024.2.2", "poetry")]),
    ("Installing the current project: llm-gateway (1.4.0)", []),
    # pdm
    ("  ✔ Install certifi 2021.10.8 successful", [_one("certifi", "2021.10.8", "pdm")]),
    (
        "  ✔ Install charset-normalizer 2.1.1 successful",
        [_one("charset-normalizer", "2.1.1", "pdm")],
    ),
    ("  ✔ Update idna 3.3 -> 3.4 successful", [_one("idna", "3.4", "pdm")]),
    ("  ✔ Remove six 1.16.0 successful", [_one("six", "1.16.0", "pdm", "uninstall")]),
    ("✔ 🔒 Lock successful", []),
    # pipx
    (
        "  installed package black 24.1.0, installed using Python 3.11.9",
        [_one("black", "24.1.0", "pipx")],
    ),
    # not installer output
    ("10 passed in 10.52s", []),
    ("Successfully set up CPython (3.11.9)", []),
    ("Collecting ./dist/llm_gateway-1.4.0.tar.gz", []),
    ("  Downloading not-a-wheel.whl (1 kB)", []),
]


@pytest.mark.parametrize(("line", "expected"), CASES, ids=[c[0][:48] for c in CASES])
def test_installs_in_line(line: str, expected: list[InstallLine]) -> None:
    assert installs_in_line(line) == expected


def test_versions_must_be_versions() -> None:
    assert installs_in_line(" + weird==not-a-version") == []
    assert installs_in_line("Successfully installed broken-x.y litellm-1.82.8") == [
        _pip("litellm", "1.82.8")
    ]
    assert installs_in_line("Successfully installed a-" + "9" * 5000) == []
