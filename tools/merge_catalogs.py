"""Merge the message catalogs of two branches message by message (git's line merge breaks .po entries).

    python tools/merge_catalogs.py BASE OURS THEIRS      # git revisions; rewrites translations/*/messages.po

For every catalog: the union of both sides' messages; where both sides translate a message differently, the side
that changed it since BASE wins (ours when both did). Run `make messages` afterwards to bring every catalog in step
with the code.
"""
import io
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def _catalog(revision: str, path: str):
    shown = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True)
    if shown.returncode != 0:
        return None
    return read_po(io.BytesIO(shown.stdout))


def merge(base: str, ours: str, theirs: str, path: str) -> None:
    mine, other, common = _catalog(ours, path), _catalog(theirs, path), _catalog(base, path)
    if other is None:
        return
    if mine is None:
        mine = other
    for message in other:
        if not message.id:
            continue
        current = mine.get(message.id, message.context)
        if current is None:
            mine[message.id] = message
            continue
        original = common.get(message.id, message.context) if common is not None else None
        base_string = original.string if original is not None else None
        if message.string and (not current.string or current.string == base_string):
            current.string = message.string
    out = io.BytesIO()
    write_po(out, mine, width=120, omit_header=False)
    (ROOT / path).write_bytes(out.getvalue())


def main() -> None:
    base, ours, theirs = sys.argv[1:4]
    for po in sorted(ROOT.glob("translations/*/LC_MESSAGES/messages.po")):
        merge(base, ours, theirs, str(po.relative_to(ROOT)))
        print(f"merged {po.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
