"""[tool.mt_eval] configuration: discovery, validation, layering with the command line."""
import pytest

from mt_eval.config import DetectorSettings, find_config, load_config
from mt_eval.errors import InputError, UsageError


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def codes(settings):
    return [c.code for c in settings.selected()]


def test_pyproject_section_is_read(tmp_path):
    write(tmp_path / "pyproject.toml", """
[project]
name = "x"

[tool.mt_eval]
select = ["BP", "SG001"]
ignore = ["BP002"]
severity = { BP001 = "minor", "punctuation" = "info" }

[tool.mt_eval.detectors.LR001]
max-z = 5.5
""")
    cfg = load_config(start=tmp_path / "corpus.tsv")
    assert cfg.path == str(tmp_path / "pyproject.toml")
    assert codes(cfg.detectors) == ["BP001", "SG001"]
    dets = {d.code: d for d in cfg.detectors.overlay(DetectorSettings.from_cli(extend_select=["LR001"])).instantiate()}
    assert str(dets["BP001"].effective_severity) == "minor"
    assert str(dets["SG001"].effective_severity) == "info"
    assert dets["LR001"].opts["max_z"] == 5.5


def test_discovery_walks_up_and_prefers_mt_eval_toml(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.mt_eval]\nselect = ['BP']\n")
    write(tmp_path / "mt_eval.toml", "select = ['SG']\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "mt_eval.toml"
    assert codes(load_config(start=sub).detectors)[0].startswith("SG")


def test_pyproject_without_section_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None or find_config(tmp_path).parent != tmp_path


@pytest.mark.parametrize("body, needle", [
    ("selct = ['BP']\n", "unknown key 'selct'"),
    ("select = ['ZZ9']\n", "'ZZ9' matches no detector"),
    ("severity = { BP001 = 'huge' }\n", "unknown severity"),
    ("[detectors.BP001]\nthreshhold = 3\n", "no option 'threshhold'"),
    ("[detectors.XX001]\nfoo = 1\n", "unknown detector code"),
    ("[detectors.LR001]\nmax-z = 'high'\n", "takes float"),
    ("select = 'BP' 'SG'\n", "invalid TOML"),
])
def test_errors_name_the_file(tmp_path, body, needle):
    path = write(tmp_path / "mt_eval.toml", body)
    with pytest.raises(InputError) as exc:
        load_config(path)
    assert str(path) in str(exc.value)
    assert needle in str(exc.value)


def test_error_points_at_the_line(tmp_path):
    path = write(tmp_path / "mt_eval.toml", "select = ['BP']\n\n[detectors.LR001]\nmaxz = 3\n")
    with pytest.raises(InputError) as exc:
        load_config(path)
    assert exc.value.line in (3, 4)


def test_cli_layer_overrides_file(tmp_path):
    path = write(tmp_path / "mt_eval.toml", "select = ['BP']\nignore = ['SG']\n[detectors.LR001]\nmax-z = 5\n")
    base = load_config(path).detectors
    cli = DetectorSettings.from_cli(select=["SG001,LR001"], option=["LR001.max_z=6"], severity=["SG001=major"])
    merged = base.overlay(cli)
    assert codes(merged) == ["LR001", "SG001"]       # a later select starts over
    dets = {d.code: d for d in merged.instantiate()}
    assert dets["LR001"].opts["max_z"] == 6.0
    assert str(dets["SG001"].effective_severity) == "major"
    assert codes(base.overlay(DetectorSettings.from_cli(ignore=["BP002"]))) == ["BP001"]


@pytest.mark.parametrize("kwargs", [{"severity": ["BP001"]}, {"option": ["LR001max_z=3"]},
                                    {"select": ["NOPE"]}, {"option": ["LR001.nope=3"]}])
def test_cli_mistakes_are_usage_errors(kwargs):
    with pytest.raises(UsageError):
        DetectorSettings.from_cli(**kwargs)


def test_no_config_gives_defaults(tmp_path):
    cfg = load_config(start=tmp_path / "nowhere" / "x.tsv") if find_config(tmp_path) is None else None
    if cfg is not None:
        assert cfg.path is None and cfg.detectors.select is None
        assert "BP001" in codes(cfg.detectors)


def test_gate_section_is_accepted(tmp_path):
    path = write(tmp_path / "mt_eval.toml", "select = ['BP']\n[gate]\nfail-on = 'critical'\n")
    cfg = load_config(path)
    assert "gate" in cfg.sections
    bad = write(tmp_path / "bad.toml", "[gate]\nfail-onn = 'critical'\n")
    with pytest.raises(InputError):
        load_config(bad)
