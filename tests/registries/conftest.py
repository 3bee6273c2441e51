"""Fake-registry fixtures for every registry test (defined once in tests/fakes/fixtures.py)."""

from tests.fakes import fixtures as _fixtures

fast_http = _fixtures.fast_http
segment_fake = _fixtures.segment_fake
avo_fake = _fixtures.avo_fake
iglu_fake = _fixtures.iglu_fake
