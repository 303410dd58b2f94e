"""OSV loading: single files, directories, zips, validation errors with places."""

from __future__ import annotations

import contextlib
import copy
import json
import re
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoper.errors import AdvisoryError, ExitCode
from scoper.feeds import osv
from scoper.feeds.extension import HARVEST_CLASSES, advisory_extension
from scoper.feeds.fields import Node

DATA = Path(__file__).resolve().parent.parent / "data" / "osv"
ROOT = Path(__file__).resolve().parents[2]
BUNDLED_LITELLM = ROOT / "advisories" / "litellm-2025.json"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def litellm() -> dict[str, Any]:
    return json.loads(BUNDLED_LITELLM.read_text(encoding="utf-8"))


def error_of(data: Any) -> str:
    with pytest.raises(AdvisoryError) as caught:
        osv.parse_record(data, "litellm-2025.json")
    return str(caught.value)


# --- single files -------------------------------------------------------------------


def test_real_mal_record() -> None:
    (adv,) = osv.load(DATA / "MAL-2026-2144.json")
    assert adv.id == "MAL-2026-2144"
    assert adv.aliases == ("PYSEC-2026-2",)
    assert adv.modified == utc(2026, 3, 26, 9, 53, 17)
    assert adv.published == utc(2026, 3, 24, 11, 15, 14)
    assert adv.withdrawn is None
    (aff,) = adv.affected
    assert (aff.ecosystem, aff.name, aff.versions, aff.ranges) == (
        "PyPI",
        "litellm",
        ("1.82.7", "1.82.8"),
        (),
    )
    assert aff.facts == () and aff.default_trigger == "install"
    # ossf's own database_specific.iocs are mapped onto scoper's IOC kinds
    assert adv.iocs == {"domains": ("litellm.cloud",), "urls": ("https://models.litellm.cloud/",)}
    assert "https://github.com/BerriAI/litellm/issues/24512" in adv.references
    assert adv.origin == str(DATA / "MAL-2026-2144.json")


def test_ranges_kept_in_order_and_names_canonical() -> None:
    (ctx,) = osv.load(DATA / "PYSEC-2022-199.json")
    (aff,) = ctx.affected
    assert aff.ranges[0].type == "ECOSYSTEM"
    assert aff.ranges[0].events == (("introduced", "0.1.2-1"),)
    assert aff.versions[:2] == ("0.1.2-1", "0.1.2-2")
    (tiny,) = osv.load(DATA / "MAL-2025-47141.json")
    assert tiny.affected[0].name == "@ctrl/tinycolor"
    assert [r.events for r in tiny.affected[0].ranges] == [
        (("introduced", "0"),),
        (("introduced", "4.1.1"), ("last_affected", "4.1.2")),
    ]


def test_pypi_names_are_canonicalised() -> None:
    data = json.loads((DATA / "MAL-2026-2144.json").read_text())
    data["affected"][0]["package"]["name"] = "LiteLLM_Proxy.Extras"
    adv = osv.parse_record(data, "x.json")
    assert adv.affected[0].name == "litellm-proxy-extras"


def test_withdrawn_is_kept() -> None:
    (adv,) = osv.load(DATA / "MAL-2026-4377-withdrawn.json")
    assert adv.withdrawn == utc(2026, 5, 26, 17, 12, 48)
    assert adv.affected[0].name == "@ctrl/plex"


@pytest.mark.parametrize(
    "stamp", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:00", "", "Z"]
)
def test_out_of_range_times_are_errors(stamp: str) -> None:
    data = json.loads((DATA / "MAL-2026-2144.json").read_text())
    data["modified"] = stamp
    assert "modified: not an RFC 3339 time" in error_of(data)


def test_nanosecond_times_and_offsets_become_utc() -> None:
    data = json.loads((DATA / "MAL-2026-2144.json").read_text())
    data["modified"] = "2026-03-26T11:53:17.996758996+02:00"
    adv = osv.parse_record(data, "x.json")
    assert adv.modified == datetime(2026, 3, 26, 9, 53, 17, 996758, tzinfo=UTC)


def test_gzip_file(tmp_path: Path) -> None:
    import gzip

    target = tmp_path / "MAL-2026-2144.json.gz"
    target.write_bytes(gzip.compress((DATA / "MAL-2026-2144.json").read_bytes()))
    # a lone file is read whatever its name
    assert [a.id for a in osv.load(target)] == ["MAL-2026-2144"]


def test_docs_example_is_valid() -> None:
    text = (ROOT / "docs" / "advisory-format.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", text, re.S)
    assert block is not None
    adv = osv.parse_record(json.loads(block.group(1)), "advisory-format.md")
    assert adv.id == "litellm-2025"
    facts = {f.version: f for f in adv.affected[0].facts}
    assert facts["1.82.8"].trigger == "startup"
    assert [r.version for r in adv.affected[0].releases] == ["1.82.6", "1.82.7"]


# --- directories and zips -----------------------------------------------------------


def test_directory_is_walked_recursively(tmp_path: Path) -> None:
    (tmp_path / "pypi" / "litellm").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    shutil.copy(DATA / "MAL-2026-2144.json", tmp_path / "pypi" / "litellm")
    shutil.copy(DATA / "PYSEC-2022-199.json", tmp_path)
    (tmp_path / ".git" / "config.json").write_text("{}")  # hidden: not read
    (tmp_path / "notes.txt").write_text("not json")
    assert [a.id for a in osv.load(tmp_path)] == ["MAL-2026-2144", "PYSEC-2022-199"]


def test_osv_dev_style_zip(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("PYSEC-2022-199.json", "MAL-2026-2144.json", "MAL-2025-47141.json"):
            zf.write(DATA / name, name)
    loaded = osv.load(archive)
    assert [a.id for a in loaded] == ["MAL-2025-47141", "MAL-2026-2144", "PYSEC-2022-199"]
    assert loaded[1].origin == f"{archive}!MAL-2026-2144.json"


def ossf_archive(path: Path) -> Path:
    top = "malicious-packages-main"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{top}/", "")
        zf.writestr(f"{top}/.github/renovate.json", '{"extends": ["config:base"]}')
        zf.writestr(f"{top}/README.md", "# Malicious packages")
        base = f"{top}/osv/malicious/pypi/litellm"
        zf.write(DATA / "MAL-2026-2144.json", f"{base}/MAL-2026-2144.json")
        origin = "MAL-0000-ghsa-malware-979ed75d242b491b.json"
        zf.write(DATA / origin, f"{base}/{origin}")
        zf.write(
            DATA / "MAL-2025-47141.json",
            f"{top}/osv/malicious/npm/@ctrl/tinycolor/MAL-2025-47141.json",
        )
        zf.write(
            DATA / "MAL-2026-4377-withdrawn.json",
            f"{top}/osv/withdrawn/npm/@ctrl/plex/MAL-2026-4377.json",
        )
    return path


def test_ossf_archive_reads_only_osv_records(tmp_path: Path) -> None:
    scanned = osv.scan(ossf_archive(tmp_path / "main.zip"))
    assert [a.id for a in scanned.advisories] == [
        "MAL-2025-47141",
        "MAL-2026-2144",
        "MAL-2026-4377",
    ]
    withdrawn = scanned.advisories[2]
    assert withdrawn.withdrawn is not None  # kept; the matcher decides
    ((file, reason),) = scanned.skipped
    assert file.endswith("litellm/MAL-0000-ghsa-malware-979ed75d242b491b.json")
    assert "origin" in reason


def test_origin_file_given_alone_is_an_error() -> None:
    with pytest.raises(AdvisoryError, match="id: empty id"):
        osv.parse_record(
            json.loads((DATA / "MAL-0000-ghsa-malware-979ed75d242b491b.json").read_text()), "f.json"
        )


def test_later_modified_wins(tmp_path: Path) -> None:
    old = json.loads((DATA / "MAL-2026-2144.json").read_text())
    new = copy.deepcopy(old)
    new["modified"] = "2026-04-01T00:00:00Z"
    new["summary"] = "updated"
    (tmp_path / "a.json").write_text(json.dumps(new))
    (tmp_path / "b.json").write_text(json.dumps(old))
    (adv,) = osv.load(tmp_path)
    assert adv.summary == "updated"


def test_broken_zip_and_missing_path(tmp_path: Path) -> None:
    corrupt = tmp_path / "all.zip"
    with zipfile.ZipFile(corrupt, "w", zipfile.ZIP_STORED) as zf:
        zf.write(DATA / "MAL-2026-2144.json", "MAL-2026-2144.json")
    raw = bytearray(corrupt.read_bytes())
    at = raw.index(b'"modified"')
    raw[at + 1] = ord("M")  # member bytes no longer match their CRC
    corrupt.write_bytes(bytes(raw))
    with pytest.raises(AdvisoryError, match=r"all\.zip: not a readable zip archive"):
        osv.load(corrupt)
    with pytest.raises(AdvisoryError, match="no such file"):
        osv.load(tmp_path / "nope")


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    target = tmp_path / "bad.json"
    target.write_text('{\n  "id": "X-1",\n  "modified": \n}\n')
    with pytest.raises(AdvisoryError) as caught:
        osv.load(target)
    assert str(caught.value).startswith(f"{target}: line 4 column 1: invalid JSON")
    assert caught.value.exit_code == ExitCode.INPUT


# --- validation errors with places ---------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["affected"][0]["versions"].__setitem__(1, 182),
            "affected[0].versions[1]: not a string",
        ),
        (lambda d: d.pop("modified"), "missing 'modified'"),
        (lambda d: d.__setitem__("modified", "2026-03-24 10:39"), "modified: not an RFC 3339 time"),
        (
            lambda d: d.__setitem__("published", "2026-03-24T10:39:00"),
            "published: not an RFC 3339 time with a zone",
        ),
        (lambda d: d.__setitem__("aliases", "PYSEC-2026-2"), "aliases: not a list"),
        (lambda d: d["affected"][0]["package"].pop("name"), "affected[0].package: missing 'name'"),
        (
            lambda d: d["affected"][0]["ranges"][0].__setitem__("type", "PEP440"),
            "affected[0].ranges[0].type: unknown range type 'PEP440'",
        ),
        (
            lambda d: d["affected"][0]["ranges"][0]["events"].append({"fixed": "1.83.0"}),
            "affected[0].ranges[0]: range has both 'fixed' and 'last_affected'",
        ),
        (
            lambda d: d["affected"][0]["ranges"][0]["events"].pop(0),
            "affected[0].ranges[0]: range has no 'introduced' event",
        ),
        (
            lambda d: d["affected"][0]["ranges"][0]["events"].__setitem__(
                0, {"introduced": "1", "fixed": "2"}
            ),
            "affected[0].ranges[0].events[0]: an event needs exactly one of",
        ),
        (lambda d: d["references"][0].pop("url"), "references[0]: missing 'url'"),
    ],
)
def test_osv_errors_name_the_place(mutate: Any, expected: str) -> None:
    data = litellm()
    mutate(data)
    message = error_of(data)
    assert message.startswith("litellm-2025.json: ")
    assert expected in message


SCOPER = ("database_specific", "scoper")


def ext(data: dict[str, Any]) -> dict[str, Any]:
    return data["database_specific"]["scoper"]  # type: ignore[no-any-return]


def aff_ext(data: dict[str, Any]) -> dict[str, Any]:
    return data["affected"][0]["database_specific"]["scoper"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: ext(d)["harvests"].__setitem__(2, "cookies"),
            "database_specific.scoper.harvests[2]: unknown harvest class 'cookies'",
        ),
        (
            lambda d: ext(d).__setitem__("harvest", ["env"]),
            "database_specific.scoper: unknown field 'harvest'",
        ),
        (
            lambda d: ext(d)["windows"][0].__setitem__("end", "2026-03-24T09:00:00Z"),
            "database_specific.scoper.windows[0]: 'end' is before 'start'",
        ),
        (
            lambda d: ext(d)["windows"][0].__setitem__("conservative_end", "2026-03-24T12:00:00Z"),
            "database_specific.scoper.windows[0]: 'conservative_end' is before 'end'",
        ),
        (
            lambda d: ext(d)["windows"][0].pop("start"),
            "database_specific.scoper.windows[0]: missing 'start'",
        ),
        (
            lambda d: ext(d)["file_hashes"][0].__setitem__("sha256", "sha256:71e35aef"),
            "database_specific.scoper.file_hashes[0].sha256: not a sha256 digest",
        ),
        (
            lambda d: ext(d)["iocs"].__setitem__("hashes", []),
            "database_specific.scoper.iocs: unknown field 'hashes'",
        ),
        (
            lambda d: ext(d)["sources"][0].__setitem__("label", "TERTIARY"),
            "database_specific.scoper.sources[0].label: unknown label 'TERTIARY'",
        ),
        (
            lambda d: ext(d)["sources"].append({"label": "PRIMARY"}),
            "a source needs a 'url' or a 'fact'",
        ),
        (
            lambda d: aff_ext(d)["versions"]["1.82.8"].__setitem__("trigger", "boot"),
            "scoper.versions[\"1.82.8\"].trigger: unknown trigger 'boot'",
        ),
        (
            lambda d: aff_ext(d)["versions"]["1.82.8"].__setitem__("trigger_module", "litellm"),
            "'trigger_module' applies only to trigger 'import'",
        ),
        (
            lambda d: aff_ext(d)["versions"]["1.82.7"].__setitem__(
                "live_until", "2026-03-24T10:00:00Z"
            ),
            "'live_until' is before 'live_from'",
        ),
        (
            lambda d: aff_ext(d)["versions"]["1.82.7"]["artifacts"][1].__setitem__("sha256", "xyz"),
            'versions["1.82.7"].artifacts[1].sha256: not a sha256 digest',
        ),
        (
            lambda d: aff_ext(d)["release_history"].append(dict(aff_ext(d)["release_history"][0])),
            "appears twice",
        ),
        (
            lambda d: aff_ext(d)["release_history"][3].__setitem__("yanked", "no"),
            "affected[0].database_specific.scoper.release_history[3].yanked: not true or false",
        ),
        (
            lambda d: aff_ext(d).__setitem__("default_trigger", "on-install"),
            "affected[0].database_specific.scoper.default_trigger: unknown trigger 'on-install'",
        ),
    ],
)
def test_extension_errors_name_the_place(mutate: Any, expected: str) -> None:
    data = litellm()
    mutate(data)
    assert expected in error_of(data)


def test_fact_for_unlisted_version_is_an_error_without_ranges() -> None:
    data = litellm()
    aff_ext(data)["versions"]["1.82.9"] = {"trigger": "install"}
    ranged = osv.parse_record(data, "litellm-2025.json")  # a range may cover it
    assert [f.version for f in ranged.affected[0].facts] == ["1.82.7", "1.82.8", "1.82.9"]
    data["affected"][0].pop("ranges")
    expected = "versions[\"1.82.9\"]: version is not in the affected package's 'versions'"
    assert expected in error_of(data)


def test_extension_values_are_parsed() -> None:
    adv = osv.parse_record(litellm(), "litellm-2025.json")
    (window,) = adv.windows
    assert (window.start, window.end, window.conservative_end) == (
        utc(2026, 3, 24, 10, 39),
        utc(2026, 3, 24, 13, 11),
        utc(2026, 3, 24, 16, 0),
    )
    assert set(adv.harvests) <= set(HARVEST_CLASSES)
    facts = {f.version: f for f in adv.affected[0].facts}
    assert facts["1.82.7"].trigger_module == "litellm.proxy.proxy_server"
    assert facts["1.82.8"].live_from == utc(2026, 3, 24, 10, 52, 19)
    assert {h.filename for h in adv.file_hashes} >= {"litellm_init.pth"}


def test_extension_absent_gives_empty_values() -> None:
    extension = advisory_extension(
        Node("x.json", "", {"id": "X", "modified": "2026-01-01T00:00:00Z"})
    )
    assert extension.windows == () and extension.harvests == () and extension.iocs == {}


# --- robustness: only AdvisoryError on any input -----------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


_LITELLM = litellm()
_PLACES = _paths(_LITELLM)[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_PLACES), _JSON)
def test_mutated_records_raise_only_advisory_errors(place: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(_LITELLM)
    target = data
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    with contextlib.suppress(AdvisoryError):
        osv.parse_record(data, "litellm-2025.json")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(BUNDLED_LITELLM.read_bytes())))
def test_truncated_files_raise_only_advisory_errors(cut: int) -> None:
    raw = BUNDLED_LITELLM.read_bytes()[:cut]
    with contextlib.suppress(AdvisoryError):
        osv.parse_record(osv.decode_json(raw, "litellm-2025.json"), "litellm-2025.json")
