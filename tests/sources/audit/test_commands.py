"""Shell command interpretation: splitting, wrappers, installers, output, redaction, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoper.sources.audit.commands.parse import (
    CommandFact,
    env_assignments,
    facts_from_argv,
    facts_from_command,
    installed_from_output,
    program_name,
    redact_command,
    split_commands,
)


def installs(command: str) -> list[tuple[str | None, str | None, str | None]]:
    return [
        (f.package, f.version, f.spec) for f in facts_from_command(command) if f.kind == "install"
    ]


def kinds(command: str) -> list[tuple[str, str | None]]:
    return [(f.kind, f.program) for f in facts_from_command(command)]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("pip install litellm==1.82.8", [("litellm", "1.82.8", "==1.82.8")]),
        ('pip install "litellm>=1.80"', [("litellm", None, ">=1.80")]),
        ("pip install 'litellm[proxy]>=1.80,<2'", [("litellm", None, "<2,>=1.80")]),
        ("pip install Requests -U --no-deps", [("requests", None, "")]),
        ("pip3 install --upgrade Flask_Login==0.6.3", [("flask-login", "0.6.3", "==0.6.3")]),
        ("python3.11 -m pip install ultralytics==8.3.41", [("ultralytics", "8.3.41", "==8.3.41")]),
        ("python -m pip -q install telnyx", [("telnyx", None, "")]),
        ("pip install 'pkg==1.0.*'", [("pkg", None, "==1.0.*")]),
        ("pip install -qU six", [("six", None, "")]),
        ("pip install ./dist/litellm-1.82.8-py3-none-any.whl", [("litellm", "1.82.8", "==1.82.8")]),
        ("pip install litellm-1.82.7.tar.gz", [("litellm", "1.82.7", "==1.82.7")]),
        (
            "pip install -e git+https://github.com/acme/tool.git#egg=acme-tool",
            [("acme-tool", None, None)],
        ),
        ("pip install 'pkg @ https://example.com/pkg-1.0.tar.gz'", [("pkg", None, None)]),
        ("pip install -e . ./local/dir", []),
        ("uv pip install litellm==1.82.7", [("litellm", "1.82.7", "==1.82.7")]),
        ("uv add 'httpx>=0.27' --dev", [("httpx", None, ">=0.27")]),
        ("uvx ruff@0.5.0 check .", [("ruff", "0.5.0", "==0.5.0")]),
        ("uvx ruff@latest check", [("ruff", None, "")]),
        ("uvx --from 'black==24.1.0' black .", [("black", "24.1.0", "==24.1.0")]),
        ("uv tool install 'pre-commit<4'", [("pre-commit", None, "<4")]),
        ("uv run --with rich python x.py", [("rich", None, "")]),
        ("pipx install poetry==1.8.3", [("poetry", "1.8.3", "==1.8.3")]),
        ("pipx run --spec cowsay==6.1 cowsay hi", [("cowsay", "6.1", "==6.1")]),
        ("pipx run pycowsay moo", [("pycowsay", None, "")]),
        ("poetry add requests@^2.31", [("requests", None, "<3,>=2.31")]),
        ("poetry add 'django@~4.2'", [("django", None, "<4.3,>=4.2")]),
        ("poetry add pendulum@2.1.2", [("pendulum", "2.1.2", "==2.1.2")]),
        ("poetry add pkg@^0.2.3", [("pkg", None, "<0.3,>=0.2.3")]),
        ("pdm add 'flask>=3' -G web", [("flask", None, ">=3")]),
        ("npm install lodash@4.17.21", [("lodash", "4.17.21", "4.17.21")]),
        ("npm i @types/node@^20 chalk", [("@types/node", None, "^20"), ("chalk", None, "")]),
        ("npm install --save-dev my-alias@npm:debug@4.3.4", [("debug", "4.3.4", "4.3.4")]),
        ("npm install next@canary", [("next", None, None)]),
        ("npx -y create-react-app my-app", [("create-react-app", None, "")]),
        ("npx --package @nx/devkit@19.0.0 nx", [("@nx/devkit", "19.0.0", "19.0.0")]),
        ("yarn add debug@4.3.4", [("debug", "4.3.4", "4.3.4")]),
        ("pip install --dry-run litellm", []),
        ("uv add --no-sync litellm", []),
    ],
)
def test_install_targets(command: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert installs(command) == expected


def test_install_comes_with_an_exec_fact_for_the_installer() -> None:
    assert kinds("pip install x") == [("exec", "pip"), ("install", "pip")]
    assert kinds("python -m pip install x") == [
        ("exec", "python"),
        ("import", "python"),
        ("install", "pip"),
    ]
    assert kinds("uv pip install x") == [("exec", "uv"), ("install", "uv")]
    assert kinds("node server.js") == [("exec", "node")]


def test_uninstall() -> None:
    facts = [f for f in facts_from_command("pip uninstall -y litellm openai") if f.kind != "exec"]
    assert [(f.kind, f.package, f.ecosystem) for f in facts] == [
        ("uninstall", "litellm", "PyPI"),
        ("uninstall", "openai", "PyPI"),
    ]
    assert [f.package for f in facts_from_command("npm rm left-pad") if f.kind == "uninstall"] == [
        "left-pad"
    ]
    assert [f.package for f in facts_from_command("uv remove httpx") if f.kind == "uninstall"] == [
        "httpx"
    ]


def test_splitting_on_operators_newlines_and_pipes() -> None:
    command = (
        "cd /srv && pip install a || pip install b; pip install c | tee log\n"
        "pip install d & pip install e"
    )
    assert [p for p, _, _ in installs(command)] == ["a", "b", "c", "d", "e"]
    assert split_commands("echo 'a && b' && ls")[0] == ["echo", "a && b"]


def test_wrappers_and_prefixes_are_peeled() -> None:
    command = "sudo -u app -E env -u HOME PIP_NO_CACHE_DIR=1 time nohup nice -n 5 pip install a"
    assert installs(command) == [("a", None, "")]
    assert kinds("timeout 30 python x.py") == [("exec", "python")]
    assert kinds("if pip install a; then echo ok; fi")[:2] == [("exec", "pip"), ("install", "pip")]


def test_redirections_and_comments() -> None:
    assert installs("pip install a 2>&1 >/dev/null # pip install b") == [("a", None, "")]
    # an unquoted '>' is a redirection, as in the shell: pip sees no constraint
    assert installs("pip install pkg>=1.80") == [("pkg", None, "")]
    assert installs("pip install a # c\npip install b") == [("a", None, ""), ("b", None, "")]


def test_environment_from_paths_activation_and_variables() -> None:
    facts = facts_from_command("/srv/app/.venv/bin/pip install litellm")
    assert {f.environment for f in facts} == {"/srv/app/.venv"}
    facts = facts_from_command("source /opt/v/bin/activate && pip install a && python -V")
    assert {f.environment for f in facts} == {"/opt/v"}
    assert facts_from_command("pip install --target /opt/t a")[1].environment == "/opt/t"
    facts = facts_from_command("uv pip install --python /srv/x/.venv/bin/python a")
    assert facts[1].environment == "/srv/x/.venv"
    assert facts_from_command("VIRTUAL_ENV=/e pip install a")[1].environment == "/e"
    assert facts_from_command("pip install a")[1].environment is None


def test_requirement_files_and_index_urls() -> None:
    [_, fact] = facts_from_command(
        "pip install -r requirements.txt -c constraints.txt "
        "-i https://__token__:pypi-secretvalue@pypi.acme.internal/simple "
        "--extra-index-url https://mirror.example/simple"
    )
    assert fact.package is None and fact.kind == "install"
    assert fact.requirement_files == ("requirements.txt", "constraints.txt")
    assert fact.index_urls == (
        "https://***@pypi.acme.internal/simple",
        "https://mirror.example/simple",
    )
    [_, fact] = facts_from_command("PIP_INDEX_URL=https://u:p@idx/simple pip install x")
    assert fact.index_urls == ("https://***@idx/simple",)
    assert facts_from_command("uv sync --frozen")[1].requirement_files == ("uv.lock",)
    assert facts_from_command("npm ci")[1].requirement_files == ("package-lock.json",)
    assert facts_from_command("poetry install")[1].requirement_files == ("poetry.lock",)


def test_python_imports() -> None:
    facts = facts_from_command("python -c 'import litellm, os.path; from telnyx import x'")
    assert [(f.kind, f.module) for f in facts] == [
        ("exec", None),
        ("import", "litellm"),
        ("import", "os.path"),
        ("import", "telnyx"),
    ]
    assert [f.module for f in facts_from_command("python -m litellm.proxy --port 4000")] == [
        None,
        "litellm.proxy",
    ]
    assert [f.module for f in facts_from_command('python3 <<<"import telnyx"')] == [None, "telnyx"]
    heredoc = "python3 - <<'EOF'\nimport ultralytics\nprint(1)\nEOF\nls"
    assert [(f.kind, f.module or f.program) for f in facts_from_command(heredoc)] == [
        ("exec", "python"),
        ("import", "ultralytics"),
        ("exec", "ls"),
    ]
    assert [f.module for f in facts_from_command("python -c 'import good\nbroken(('")] == [
        None,
        "good",
    ]
    assert [f.module for f in facts_from_command("node -r dotenv/config app.js")][1] == (
        "dotenv/config"
    )


def test_shells_and_runners_are_followed() -> None:
    assert installs("bash -lc 'pip install a && uv pip install b==2'") == [
        ("a", None, ""),
        ("b", "2", "==2"),
    ]
    assert kinds("uv run python -m pytest")[-2:] == [("exec", "python"), ("import", "python")]
    assert kinds("poetry run pip install c")[1:] == [("exec", "pip"), ("install", "pip")]
    facts = facts_from_argv(["/bin/sh", "-c", "pip install a"])
    assert [(f.kind, f.program) for f in facts] == [
        ("exec", "sh"),
        ("exec", "pip"),
        ("install", "pip"),
    ]


def test_facts_from_argv_as_auditd_sees_a_console_script() -> None:
    facts = facts_from_argv(
        ["/srv/app/.venv/bin/python3", "/srv/app/.venv/bin/pip", "install", "litellm==1.82.8"]
    )
    assert [(f.kind, f.program, f.package, f.environment) for f in facts] == [
        ("exec", "python", None, "/srv/app/.venv"),
        ("exec", "pip", None, "/srv/app/.venv"),
        ("install", "pip", "litellm", "/srv/app/.venv"),
    ]


def test_program_names() -> None:
    assert [
        program_name(p)
        for p in (
            "python3.11",
            "/usr/bin/python3",
            "pypy3",
            "pip3.12",
            "nodejs",
            "C:\\Py\\python.exe",
            "uv",
        )
    ] == ["python", "python", "python", "pip", "node", "python", "uv"]


def test_env_assignments() -> None:
    assert env_assignments("export A=1 B='two words' && C=3 cmd D=4") == [
        ("A", "1"),
        ("B", "two words"),
        ("C", "3"),
    ]


def test_installed_from_output() -> None:
    text = "\n".join(
        [
            "Requirement already satisfied: requests>=2 in /usr/lib/python3/site-packages "
            "(from litellm) (2.31.0)",
            "Successfully installed charset_normalizer-3.4.1 litellm-1.82.8 python-dateutil-2.9.0",
            "Installed 2 packages in 5ms",
            " \x1b[32m+\x1b[39m \x1b[1mtelnyx\x1b[0m\x1b[2m==4.87.1\x1b[0m",
            " - old-thing==0.1",
            "  - Installing ultralytics (8.3.41)",
            "  - Updating attrs (23.2.0 -> 25.1.0)",
            "  • Installing six (1.16.0)",
            "Successfully installed not-a-version-x",
        ]
    )
    assert installed_from_output(text) == [
        ("requests", "2.31.0"),
        ("charset-normalizer", "3.4.1"),
        ("litellm", "1.82.8"),
        ("python-dateutil", "2.9.0"),
        ("telnyx", "4.87.1"),
        ("ultralytics", "8.3.41"),
        ("attrs", "25.1.0"),
        ("six", "1.16.0"),
    ]


@pytest.mark.parametrize(
    ("command", "secret"),
    [
        ("pip install -i https://bot:hunter2hunter2@pypi.acme.internal/simple x", "hunter2hunter2"),
        ("mysql --password=Tr0ub4dor3xyz -h db", "Tr0ub4dor3xyz"),
        ("tool --api-key 'k3y with spaces' run", "k3y with spaces"),
        ("OPENAI_API_KEY=plainvalue123 python app.py", "plainvalue123"),
        ('export MY_SERVICE_PASSWORD="p a s s"', "p a s s"),
        ("curl -H 'Authorization: Bearer abc.def.ghi' https://x", "abc.def.ghi"),
        ("curl -u admin:s3cretpw https://x", "s3cretpw"),
        (
            "git clone https://x:ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789@github.com/o/r",
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        ),
        (
            "echo sk-proj-Zq8tN4vR2mK7pL9xW3yB6cD1fG5hJ0aS > key",
            "sk-proj-Zq8tN4vR2mK7pL9xW3yB6cD1fG5hJ0aS",
        ),
        ("aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        ("slack xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij"),
        (
            "deploy wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY9",
            "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY9",
        ),
    ],
)
def test_redact_command_masks_secrets(command: str, secret: str) -> None:
    shown = redact_command(command)
    assert secret not in shown
    assert "***" in shown


def test_redact_command_keeps_ordinary_text() -> None:
    command = (
        "pip install 'litellm>=1.80' --hash=sha256:"
        + "ab12" * 16
        + " && cd /srv/app/src/components"
        + " && git checkout 34e114876b0b11c390a56381ad16ebd13914f8d5"
    )
    assert redact_command(command) == command


_WORDS = st.sampled_from(
    [
        "pip",
        "pip3",
        "python",
        "-m",
        "-c",
        "install",
        "uninstall",
        "-r",
        "req.txt",
        "-e",
        ".",
        "uv",
        "uvx",
        "add",
        "run",
        "sync",
        "tool",
        "pipx",
        "poetry",
        "pdm",
        "npm",
        "npx",
        "i",
        "ci",
        "node",
        "bash",
        "sh",
        "-lc",
        "sudo",
        "env",
        "A=1",
        "&&",
        "||",
        ";",
        "|",
        "\n",
        ">",
        "2>&1",
        "<<EOF",
        "EOF",
        "'",
        '"',
        "\\",
        "#",
        "$(",
        ")",
        "litellm==1.82.8",
        "pkg>=1",
        "x@^1.2",
        "@scope/p@1.0.0",
        "a@npm:b@1",
        "--with",
        "--from",
        "-i",
        "https://u:p@h/s",
        "--target",
        "/v/bin/pip",
        "import x",
        "--",
        "-",
        "=",
        "@",
        "[",
        "]",
    ]
)


@given(st.lists(_WORDS, max_size=25).map(" ".join))
@settings(max_examples=400, deadline=None)
def test_fuzz_command_words(command: str) -> None:
    facts = facts_from_command(command)
    assert all(isinstance(f, CommandFact) for f in facts)
    assert isinstance(redact_command(command), str)
    facts_from_argv(command.split())


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_fuzz_arbitrary_text(text: str) -> None:
    facts_from_command(text)
    facts_from_argv(text.split(" "))
    installed_from_output(text)
    redact_command(text)
    env_assignments(text)


def test_redaction_keeps_stdin_flags_and_masks_glued_mysql_passwords() -> None:
    from scoper.sources.audit.commands.redaction import redact_command

    text = "docker login -u ci --password-stdin\ndocker build -t acme/svc ."
    assert redact_command(text) == text
    assert redact_command("mysql -pSuperSecret1 db") == "mysql -p*** db"
    assert redact_command("twine upload --password hunter2 dist/*") == (
        "twine upload --password *** dist/*"
    )
