"""Secret values typed on command lines and printed from .env files: fingerprinted, never kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scoper.model import Origin
from scoper.sources.audit.commands.argv_secrets import argv_secret_credentials, argv_secrets
from scoper.sources.audit.commands.dotenv_values import shown_dotenv
from scoper.sources.audit.commands.place import Place

TOKEN = "pypi-AgEIcHlwaS5vcmcFIXTUREplanted0001"
PLACE = Place(datetime(2026, 3, 24, 11, tzinfo=UTC), Origin("t.log", 7), "s1", "h1", cwd="/srv")


def fp(value: str) -> str:
    return f"fp:{len(value)}"


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (["twine", "upload", "-u", "__token__", "-p", TOKEN, "dist/*"], [("twine -p", TOKEN)]),
        (["twine", "upload", f"--password={TOKEN}"], [("twine --password", TOKEN)]),
        (["curl", "-H", "x", "--token", "ghp_" + "a" * 36], [("curl --token", "ghp_" + "a" * 36)]),
        (["tool", "ghp_" + "b" * 36], [("tool argument", "ghp_" + "b" * 36)]),
        (["pip", "install", "-r", "requirements.txt"], []),
    ],
)
def test_secrets_on_a_command_line(argv: list[str], found: list[tuple[str, str]]) -> None:
    assert list(argv_secrets(argv)) == found


def test_credentials_keep_a_fingerprint_only() -> None:
    [cred] = argv_secret_credentials(["twine", "upload", "-p", TOKEN], PLACE, fp)
    assert (cred.name, cred.kind, cred.harvest_class, cred.fingerprint, cred.session_id) == (
        "twine -p",
        "pypi-token",
        "shell-history",
        fp(TOKEN),
        "s1",
    )
    assert TOKEN not in repr(cred)
    assert argv_secret_credentials(["twine", "upload", "-p", "$PYPI_TOKEN"], PLACE, fp) == []


def test_values_printed_from_one_env_file() -> None:
    output = (
        "# local settings\nOPENAI_API_KEY='sk-proj-FIXTUREplanted0002'\nDEBUG=1\n"
        "export DB_PASSWORD=hunter2hunter2\n"
    )
    found = shown_dotenv("cat .env", output, PLACE, fp)
    assert [(c.name, c.kind, c.harvest_class, c.path, c.fingerprint) for c in found] == [
        (
            "OPENAI_API_KEY",
            "openai-api-key",
            "dotenv",
            "/srv/.env",
            fp("sk-proj-FIXTUREplanted0002"),
        ),
        ("DB_PASSWORD", "database-password", "dotenv", "/srv/.env", fp("hunter2hunter2")),
    ]
    assert "FIXTUREplanted" not in repr(found)
    assert shown_dotenv("cat .env other/.env", output, PLACE, fp) == []  # whose line is whose?
    assert shown_dotenv("cat README.md", output, PLACE, fp) == []
