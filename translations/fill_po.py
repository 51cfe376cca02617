"""Fill msgstrs of a .po from a YAML mapping (msgid: msgstr). Usage: fill_po.py LANG MAPPING.yaml"""
import sys, yaml
from babel.messages.pofile import read_po, write_po
lang, mapping = sys.argv[1], yaml.safe_load(open(sys.argv[2])) or {}
path = f"translations/{lang}/LC_MESSAGES/messages.po"
with open(path, "rb") as fh:
    cat = read_po(fh, locale=lang)
missing = []
for msg in cat:
    if not msg.id:
        continue
    key = msg.id if isinstance(msg.id, str) else msg.id[0]
    if key in mapping:
        msg.string = mapping[key] if isinstance(msg.id, str) else tuple(mapping[key])
        msg.flags.discard("fuzzy")
    elif msg.fuzzy or not msg.string or (isinstance(msg.string, tuple) and not all(msg.string)):
        missing.append(key + ("  (fuzzy: check and translate)" if msg.fuzzy else ""))
with open(path, "wb") as fh:
    write_po(fh, cat, width=120, omit_header=False, sort_output=True, no_location=True)
print("untranslated:", *missing, sep="\n  ")
