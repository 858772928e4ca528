

def gate_formats() -> dict:
    """Renderers of a :class:`~mt_eval.gate.GateResult` by format name."""
    from . import gate_json, gate_text, github, junit, markdown, sarif
    return {"text": gate_text.render, "json": gate_json.render, "junit": junit.render,
            "sarif": sarif.render, "github": github.render, "markdown": markdown.render}
