"""Shared fixtures: the real content, loaded once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def project():
    import sopimus
    return sopimus.load(CONTENT)


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/ (and locales/), for tests that edit sources."""
    shutil.copytree(CONTENT, tmp_path / "content")
    if (REPO / "locales").is_dir():
        shutil.copytree(REPO / "locales", tmp_path / "locales")
    return tmp_path / "content"


def require_tool(name: str) -> str:
    """The path of an external tool, or skip the test with the reason.

    With SOPIMUS_REQUIRE_TOOLS=1 (set by .ci/run) a missing tool fails the
    test instead, so CI can never pass by skipping.
    """
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it from Debian's packages)"
        if os.environ.get("SOPIMUS_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def built_once(project, tmp_path_factory):
    """``built_once(builder)``: the real content built once per test session (fi and sv).

    Tests read these outputs and must not modify them; a test that edits a
    file copies it first.
    """
    from sopimus.builders.base import BuildOptions
    from sopimus.pipeline import build

    outputs: dict[tuple[str, tuple[str, ...]], Path] = {}

    def get(builder: str, languages: tuple[str, ...] = ("fi", "sv")) -> Path:
        key = (builder, languages)
        if key not in outputs:
            out = tmp_path_factory.mktemp(builder)
            # The KEHA content has no signed copies yet: publish it marked unsigned (test_signing signs it).
            options = BuildOptions(allow_unsigned=True)
            result = build(project, builder, list(languages), out, options)
            assert not result.errors, [d.format() for d in result.errors]
            outputs[key] = out
        return outputs[key]
    return get


# Property-based tests: a small fixed slice in the suite, many examples in `make fuzz`.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("suite", max_examples=15, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile("suite")
