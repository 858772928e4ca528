from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "detectors"
