"""The gender detectors (``GN…``): grammatical gender leaking into
translations between French and English.  Importing this package registers
them; spaCy is imported only when a detector runs (the ``nlp`` extra)."""
from . import entity_gender, fr_agreement, pronoun_leak  # noqa: F401
