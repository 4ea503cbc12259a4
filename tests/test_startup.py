"""What a cold build skips at start-up still works when it is needed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

PROBE = r"""
import re, sys
compile_before = re.compile
import {module}
import reportlab.platypus.paragraph as P
assert re.compile is compile_before, "re.compile was left patched"
print(type(P.uri_pat).__name__)
real = re.compile(P.uri_pat.pattern, P.uri_pat.flags)
for uri in ("https://www.finlex.fi/fi/laki/ajantasa/1987/19870565", "ftp://x.example.org/a/b", "not a uri"):
    assert bool(P.uri_pat.match(uri)) == bool(real.match(uri)), uri
print(P._uri_split_pairs("https://www.finlex.fi/fi/laki/ajantasa/"))
"""


@pytest.mark.parametrize("module", ["sopimus.builders.pdf.render", "sopimus.builders.report.pdf",
                                    "sopimus.builders.redline.pdf"])
def test_reportlab_url_pattern_is_compiled_when_first_used(module):
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO / "src")})
    assert result.returncode == 0, result.stderr
    kind, pairs = result.stdout.splitlines()
    assert kind == "LazyPattern"     # not compiled at import: 60-100 ms of a cold build
    assert pairs.startswith("[('https://www.finlex.fi/fi/laki/', 'ajantasa/')")   # it still splits URLs
