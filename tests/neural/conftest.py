import pytest

pytest.importorskip("torch", reason="neural metrics need the 'neural' extra (torch)")
pytest.importorskip("transformers", reason="neural metrics need the 'neural' extra (transformers)")

from .neural_helpers import build_tiny_bert  # noqa: E402


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    # never touch the user's cache from tests
    monkeypatch.setenv("MT_EVAL_CACHE_DIR", str(tmp_path / "cache"))
    yield
