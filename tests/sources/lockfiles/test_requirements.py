"""The requirements.txt reader: pip's line grammar, includes, links, policy, robustness."""

from __future__ import annotations

import contextlib
import gzip
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.requirements import (
    SOURCE,
    RequirementsSource,
    looks_like_requirements,
)
from scoper.sources.lockfiles.requirements_lines import LogicalLine, logical_lines, split_line
from scoper.sources.lockfiles.requirements_links import read_link, redact

DATA = Path(__file__).resolve().parents[2] / "data" / "requirements"


def parse(path: Path, display: str | None = None, **env: str) -> Records:
    source = RequirementsSource(environ=env)
    return source.parse(path, ParseContext(display=display or f"data/{path.name}"))


def write(tmp_path: Path, text: str, name: str = "requirements.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_name(records: Records) -> dict[str, Package]:
    return {package.name: package for package in records.packages}


def reasons(records: Records) -> list[str]:
    return [skipped.reason for skipped in records.skipped]


# --- the realistic sample with includes -------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Records:
    return parse(DATA / "requirements.txt", "svc/requirements.txt")


def test_one_artifact_per_top_file(sample: Records) -> None:
    assert [(a.key, a.kind, a.name, a.origin.file) for a in sample.artifacts] == [
        ("", "lockfile", "requirements.txt", "svc/requirements.txt")
    ]


def test_exact_pins_get_versions_and_ranges_keep_specifiers(sample: Records) -> None:
    packages = by_name(sample)
    assert (packages["litellm"].version, packages["litellm"].spec) == (None, ">=1.80,<2")
    assert (packages["requests"].version, packages["requests"].spec) == ("2.32.3", None)
    assert packages["certifi"].version == "2024.7.4"  # === counts as a pin
    assert (packages["numpy"].version, packages["numpy"].spec) == (None, "==1.26.*")
    assert all(p.ecosystem == "PyPI" and p.artifact_key == "" for p in sample.packages)


def test_names_are_canonical_and_display_names_as_written(sample: Records) -> None:
    package = by_name(sample)["django-rest-framework"]
    assert (package.display_name, package.version) == ("Django_Rest.Framework", "3.15.2")
    assert package.purl == "pkg:pypi/django-rest-framework@3.15.2"


def test_lines_and_hashes_across_continuations(sample: Records) -> None:
    packages = by_name(sample)
    assert packages["urllib3"].origin.line == 11
    assert packages["urllib3"].hashes == (
        "sha256:a448b2f64d686155468037e1ace9f2d2199776e17f0a46610480d311f73e3472",
        "sha256:dd505485549a7a552833da5e6063639d0d177c04f23bc3864e41e5dc5f612168",
    )
    assert [packages[n].origin.line for n in ("litellm", "requests", "certifi")] == [8, 9, 14]


def test_vcs_editable_keeps_commit(sample: Records) -> None:
    package = by_name(sample)["example-tooling"]
    assert package.commit == "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d"
    assert package.version is None and package.spec is None
    assert package.source_url is not None and package.source_url.startswith("git+https://")


def test_direct_links_take_version_from_file_name(sample: Records) -> None:
    packages = by_name(sample)
    assert packages["internal-sdk"].version == "0.4.1"
    assert packages["telnyx"].version == "4.87.1"  # sdist name rules
    assert packages["telnyx"].hashes == ("sha256:0a1b2c3d",)  # from the URL fragment
    assert (packages["ultralytics"].version, packages["ultralytics"].origin.line) == ("8.3.41", 19)


def test_included_files_keep_their_own_origin(sample: Records) -> None:
    packages = by_name(sample)
    assert packages["pyyaml"].origin.file == "svc/base.txt"
    assert packages["pyyaml"].origin.line == 3
    assert packages["attrs"].origin.file == "svc/nested/common.txt"
    assert packages["pyyaml"].direct is True and packages["pyyaml"].groups == ()


def test_include_cycles_read_each_file_once(sample: Records) -> None:
    names = [p.name for p in sample.packages]
    assert len(names) == len(set(names))  # base <-> common <-> requirements: no repeats
    assert names.index("attrs") < names.index("pyyaml") < names.index("litellm")


def test_constraints_are_grouped_and_not_direct(sample: Records) -> None:
    packages = by_name(sample)
    assert packages["idna"].groups == ("constraint",) and packages["idna"].direct is False
    assert packages["idna"].origin == packages["idna"].origin.__class__("svc/constraints.txt", 2)
    assert packages["charset-normalizer"].spec == ">=3.3,<4"
    assert packages["litellm"].direct is True


def test_index_options_are_reported_with_credentials_redacted(sample: Records) -> None:
    options = [(s.origin.line, s.reason) for s in sample.skipped if s.reason.startswith("option:")]
    assert options == [
        (2, "option: --index-url https://pypi.org/simple"),
        (3, "option: --extra-index-url https://***@pkgs.example.com/simple/"),
        (4, "option: --trusted-host pkgs.example.com"),
    ]
    assert "s3cr3t" not in repr(sample)


# --- pip's line grammar --------------------------------------------------------------------


def lines(text: str, **env: str) -> list[tuple[int, str]]:
    return [(line.number, line.text) for line in logical_lines(text, env)]


def test_continuations_join_before_comments_are_removed() -> None:
    text = "foo==\\\n\\\n 1.2.3\nbaz == 7.8.9 # \\\nbaz == 1.2.3\nbar==4.5\\\\\n.6\n"
    assert lines(text) == [(1, "foo== 1.2.3"), (4, "baz == 7.8.9"), (6, "bar==4.5.6")]


def test_comment_line_ends_a_continuation_and_hash_needs_whitespace() -> None:
    text = "a==1 \\\n# note \\\nb==2 --hash=sha256:ab#cd\n"
    assert lines(text) == [(1, "a==1"), (3, "b==2 --hash=sha256:ab#cd")]


def test_trailing_backslash_at_end_of_file_and_crlf() -> None:
    assert lines("x==1\r\npkg1==1.0 \\\r\n") == [(1, "x==1"), (2, "pkg1==1.0")]


def test_env_vars_use_only_the_braced_upper_case_form() -> None:
    text = "${HOST}/a ${lower} $HOST ${UNSET}"
    assert lines(text, HOST="h") == [(1, "h/a ${lower} $HOST ${UNSET}")]


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("-rbase.txt", [("--requirement", "base.txt")]),
        ("--requirement=base.txt", [("--requirement", "base.txt")]),
        (
            "--extra-index https://x/simple --pre",
            [("--extra-index-url", "https://x/simple"), ("--pre", None)],
        ),
        ("-C key=value -e .", [("--config-settings", "key=value"), ("--editable", ".")]),
        ("--hash sha256:12", [("--hash", "sha256:12")]),
    ],
)
def test_option_spellings(text: str, options: list[tuple[str, str | None]]) -> None:
    parsed = split_line(LogicalLine(1, text))
    assert (parsed.requirement, parsed.options, parsed.problems) == ("", options, [])


def test_requirement_text_stops_at_the_first_option() -> None:
    parsed = split_line(LogicalLine(3, 'foo5==1.0; python_version < "2.7" --hash=sha256:1 junk'))
    assert parsed.requirement == 'foo5==1.0; python_version < "2.7"'
    assert parsed.options == [("--hash", "sha256:1")]


def test_unknown_options_and_bad_quotes_are_reported(tmp_path: Path) -> None:
    records = parse(write(tmp_path, "a==1 --frobnicate\nb==2 --global-option='x\n"))
    assert [p.name for p in records.packages] == ["a", "b"]  # the requirement is still kept
    assert any("unknown or ambiguous option '--frobnicate'" in r for r in reasons(records))
    assert any("cannot split options" in r for r in reasons(records))


# --- requirement forms ---------------------------------------------------------------------


def test_markers_and_extras_do_not_choke(tmp_path: Path) -> None:
    text = 'pyjwt [crypto] == 2.1.0\ncelery[redis, pytest]>=4 ; sys_platform == "linux/x"\n'
    packages = by_name(parse(write(tmp_path, text)))
    assert packages["pyjwt"].version == "2.1.0"
    assert (packages["celery"].spec, packages["celery"].origin.line) == (">=4", 2)


def test_vcs_tag_is_not_a_commit_and_named_vcs_links_work(tmp_path: Path) -> None:
    text = (
        "tool @ git+https://github.com/o/tool.git@v1.2.0\n"
        "lib @ git+ssh://git@github.com/o/lib.git@0123abcd#subdirectory=py\n"
    )
    packages = by_name(parse(write(tmp_path, text)))
    assert (packages["tool"].commit, packages["tool"].version) == (None, None)
    assert packages["lib"].commit == "0123abcd"


def test_unusable_lines_are_skipped_with_reasons(tmp_path: Path) -> None:
    text = "asdf==\n-e ./src\n-e git+https://x/y.git\nhttps://x/archive/main.zip\n--hash=md9:1\n"
    records = parse(write(tmp_path, text))
    assert records.packages == []
    got = reasons(records)
    assert got[0].startswith("invalid requirement 'asdf=='")
    assert got[1].startswith("editable local project")
    assert got[2].startswith("editable link without an #egg= name")
    assert got[3].startswith("archive without a recognisable package name")
    assert got[4] == "per-requirement option without a requirement"


def test_name_at_link_with_another_projects_wheel_gets_no_version() -> None:
    link = read_link("https://h/other_pkg-1.0-py3-none-any.whl", "mine")
    assert (link.name, link.version) == ("mine", None)


def test_redact_hides_userinfo_and_query_strings() -> None:
    text = "see https://u:p@h/x?token=abc#frag and git+ssh://git@github.com/o/r http://tok@h"
    assert (
        redact(text) == "see https://***@h/x?***#frag and git+ssh://git@github.com/o/r http://***@h"
    )


def test_env_var_expansion_and_unset_variables(tmp_path: Path) -> None:
    path = write(tmp_path, "asdf==${ASDF_VERSION}\nqwert==${MY_VARIABLE_1}\n")
    records = parse(path, ASDF_VERSION="1.2")
    assert [(p.name, p.version) for p in records.packages] == [("asdf", "1.2")]
    assert "qwert==${MY_VARIABLE_1}" in records.skipped[0].reason


def test_malformed_hash_is_reported_and_package_kept(tmp_path: Path) -> None:
    records = parse(write(tmp_path, "foo==1.0 --hash=wrong --hash=SHA256:AB --hash=sha256:AB\n"))
    assert records.packages[0].hashes == ("sha256:AB",)
    assert reasons(records) == ["malformed --hash value 'wrong' (want <algorithm>:<hex>)"]


# --- includes --------------------------------------------------------------------------------


def test_missing_and_remote_includes_are_skipped_not_fatal(tmp_path: Path) -> None:
    text = "requests==1.2.3\n\n-r ./does-not-exist.txt\n-c https://h/c.txt\n"
    records = parse(write(tmp_path, text), "x/requirements.txt")
    assert [p.name for p in records.packages] == ["requests"]
    assert reasons(records) == [
        "requirements file not found (or not a file): x/does-not-exist.txt",
        "remote constraints file not fetched: https://h/c.txt",
    ]


def test_self_include_and_dot_dot_paths(tmp_path: Path) -> None:
    (tmp_path / "pip").mkdir()
    write(tmp_path / "pip", "-r ./../pip/a.txt\n-r ./a.txt\na==1\n", "a.txt")
    records = parse(tmp_path / "pip" / "a.txt", "pip/a.txt")
    assert [(p.name, p.origin.file) for p in records.packages] == [("a", "pip/a.txt")]
    assert records.skipped == []


def test_constraints_nested_requirement_is_a_requirement(tmp_path: Path) -> None:
    write(tmp_path, "-r more.txt\nidna==3.7\n", "c.txt")
    write(tmp_path, "six==1.16.0\n", "more.txt")
    records = parse(write(tmp_path, "-c c.txt\n"))
    assert [(p.name, p.groups) for p in records.packages] == [
        ("six", ()),
        ("idna", ("constraint",)),
    ]


def test_includes_never_read_files_not_named_like_requirements(tmp_path: Path) -> None:
    (tmp_path / ".netrc").write_text("machine h login u password hunter2\n", encoding="utf-8")
    records = parse(write(tmp_path, "-r .netrc\n-c /etc/passwd\n"), "r.txt")
    assert records.packages == []
    assert [s.reason.split(":")[0] for s in records.skipped] == [
        "requirements file .netrc not read",
        "constraints file /etc/passwd not read",
    ]
    assert "hunter2" not in repr(records)


def test_broken_included_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"ok==1\n\xff\xfe\x00junk")
    records = parse(write(tmp_path, "-r bad.txt\nz==1\n"), "r.txt")
    assert [p.name for p in records.packages] == ["z"]
    assert records.skipped[0].reason.startswith("requirements file cannot be read: bad.txt")


# --- encodings, templates, foreign files ----------------------------------------------------


def test_utf16_with_bom() -> None:
    records = parse(DATA / "utf16.txt")
    assert [(p.name, p.version, p.spec, p.origin.line) for p in records.packages] == [
        ("requests", "2.31.0", None, 2),
        ("flask", None, ">=2", 3),
    ]


def test_coding_cookie_is_honoured() -> None:
    assert [p.name for p in parse(DATA / "latin1.txt").packages] == ["six"]


def test_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt.gz"
    path.write_bytes(gzip.compress(b"flask==3.0.3\n"))
    assert [p.version for p in parse(path).packages] == ["3.0.3"]


def test_templates_are_skipped_not_fatal() -> None:
    records = parse(DATA / "template.txt")
    assert [(p.name, p.version) for p in records.packages] == [("flask", "3.0.3")]
    assert [s.origin.line for s in records.skipped] == [1, 2, 3, 5]
    assert records.skipped[0].reason.startswith("template syntax")


@pytest.mark.parametrize(
    ("data", "message", "place"),
    [
        (b'{"lockfileVersion": 3}\n', "looks like JSON, TOML or XML", "line 1"),
        (b"# c\n[[package]]\nname = 'x'\n", "looks like JSON, TOML or XML", "line 2"),
        (b"a==1\nb\x00c\n", "NUL byte", "line 2"),
        (b"a==1\n\xff\xfe", "not valid utf-8", "line 2"),
    ],
)
def test_other_formats_raise_input_error(
    tmp_path: Path, data: bytes, message: str, place: str
) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        parse(path, "r.txt")
    assert (caught.value.file, caught.value.place) == ("r.txt", place)
    assert message in caught.value.message


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("requirements.txt", b"", True),
        ("dev-requirements.txt.gz", b"", True),
        ("requirements-test.in", b"", True),
        ("constraints.txt", b"", True),
        ("base.pip", b"", True),
        ("requirements-dev.lock", b"", True),  # rye writes pip syntax
        ("uv.lock", b"version = 1\n", False),
        ("requirements/prod.txt", b"", True),
        ("MANIFEST.in", b"include README\n", False),
        ("notes.txt", b"hello world\nthis is prose\n", False),
        ("deps.txt", b"flask==3.0.3\nrequests>=2\n# c\n", True),
        ("deps.txt", b"flask\nrequests\n", False),  # bare words: too weak to claim
        ("deps.txt", b"-r base.txt\nfoo==1 \\\n  --hash=sha256:ab\n", True),
        ("job.txt", b"2024-01-01T00:00:00Z ##[group]Run pip install\n", False),
        ("package.json", b'{"name": "x"}', False),
    ],
)
def test_sniff(tmp_path: Path, name: str, head: bytes, expected: bool) -> None:
    assert SOURCE.sniff(tmp_path / name, head) is expected


def test_content_sniff_ignores_a_cut_last_line() -> None:
    assert looks_like_requirements(b"flask==3.0.3\nrequests>=2\nthis is cut mid-li")


# --- fuzzing: only InputError may escape ---------------------------------------------------

SEEDS = [
    (DATA / "requirements.txt").read_text(encoding="utf-8"),
    (DATA / "template.txt").read_text(encoding="utf-8"),
    "foo==\\\n\\\n 1.2.3\nbar @ git+https://h/r.git@abc#egg=bar\n-e .[dev]\n-r self.txt\n",
    "x==1 --hash=sha256:1 --config-settings --hash\n-i ${URL}\n./w-1-py3-none-any.whl[x]\n",
]
PIECES = st.sampled_from(
    [
        "\\",
        "\n",
        "#",
        " ",
        "-r ",
        "-c ",
        "-e ",
        "@",
        ";",
        "[",
        "]",
        "==",
        "===",
        "~=",
        ".*",
        "{{",
        "%}",
        "${X}",
        "'",
        '"',
        "--hash=",
        "sha256:",
        "git+",
        "://",
        "#egg=",
        "\x00",
        "\r",
        "self.txt",
        "../",
        "(((((",
        ",",
        "é",
        "\ufeff",
        ".whl",
        ".tar.gz",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), PIECES), max_size=8),
    cut=st.integers(0, 10_000),
)
def test_fuzz_mutated_inputs_raise_only_input_error(
    seed: str, edits: list[tuple[int, int, str]], cut: int
) -> None:
    text = seed
    for position, drop, piece in edits:
        at = position % (len(text) + 1)
        text = text[:at] + piece + text[at + drop :]
    text = text[: max(cut, len(text) // 2)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "self.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            records = parse(path)
        except InputError:
            return
    assert all(p.version is None or p.spec is None for p in records.packages)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300))
def test_fuzz_random_bytes_raise_only_input_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "requirements.txt"
        path.write_bytes(data)
        with contextlib.suppress(InputError):
            parse(path)


def test_pip_tools_input_in_a_requirements_folder() -> None:
    path = DATA / "requirements" / "dev.in"
    assert SOURCE.sniff(path, path.read_bytes())
    records = parse(path, "requirements/dev.in")
    assert [(p.name, p.spec, p.groups, p.origin.file) for p in records.packages] == [
        ("idna", None, ("constraint",), "constraints.txt"),
        ("charset-normalizer", ">=3.3,<4", ("constraint",), "constraints.txt"),
        ("pytest", "", (), "requirements/dev.in"),
    ]
