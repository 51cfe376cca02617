"""WCAG 2.1 A and AA checks with axe-core (vendored under vendor/axe-core, MPL-2.0) in the page under test."""
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations on the page as it is now: [{id, impact, help, targets}]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated over the DevTools protocol, which the page's CSP (script-src 'self') does not govern;
        # an injected <script> tag would be refused, as it should be.
        page.evaluate(f"() => {{ {AXE.read_text()}\n }}")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [node["target"] for node in v["nodes"]]} for v in result["violations"]]


def assert_accessible(page, allowed: tuple[str, ...] = ()) -> None:
    """No WCAG 2.1 AA violation but the `allowed` rule ids, each of which the caller must justify."""
    violations = [v for v in axe_violations(page) if v["id"] not in allowed]
    assert violations == [], f"{page.url}: {violations}"
