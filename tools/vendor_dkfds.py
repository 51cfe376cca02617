"""Vendor Det Fælles Designsystem (npm `dkfds`) into surveyapp/static/vendor/dkfds/.

Usage: python tools/vendor_dkfds.py [VERSION]   (needs npm; downloads nothing but the package)

Copies the compiled dkfds.min.css, the licence files and only the fonts the respondent pages use: IBM Plex
Sans Regular, SemiBold and Bold, Latin-1 subset as woff2 (Danish, English, German; other scripts fall back to
the system font glyph by glyph). The package's @font-face rules name 16 complete font files in four formats
(about 60 KB each); they are replaced by three rules for the vendored subsets, so a first load fetches at most
three ~17 KB fonts. Nothing else in the CSS is changed. The source-map comment is dropped.
"""
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "surveyapp" / "static" / "vendor" / "dkfds"
WEIGHTS = {400: "Regular", 600: "SemiBold", 700: "Bold"}
LATIN1 = "U+0000-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2000-206F,U+2074,U+20AC,U+2122,U+2212"


def font_faces() -> str:
    return "".join(
        "@font-face{font-display:swap;font-family:IBM Plex Sans;font-style:normal;"
        f"font-weight:{weight};src:url(../fonts/IBMPlexSans-{name}-Latin1.woff2) format(\"woff2\");"
        f"unicode-range:{LATIN1}}}"
        for weight, name in WEIGHTS.items()
    )


def main(version: str = "11.2.0") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"dkfds@{version}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = next(Path(tmp).glob("dkfds-*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        dist = package / "dist"
        if TARGET.exists():
            shutil.rmtree(TARGET)
        (TARGET / "css").mkdir(parents=True)
        (TARGET / "fonts").mkdir()
        css = (dist / "css" / "dkfds.min.css").read_text(encoding="utf-8")
        css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
        css = re.sub(r"@font-face\{[^}]*IBM Plex Sans[^}]*\}", "", css)
        (TARGET / "css" / "dkfds.min.css").write_text(font_faces() + css, encoding="utf-8")
        for name in WEIGHTS.values():
            font = f"IBMPlexSans-{name}-Latin1.woff2"
            shutil.copy(dist / "fonts" / "IBMPlexSans" / "split" / "woff2" / font, TARGET / "fonts" / font)
        shutil.copy(package / "LICENSE.md", TARGET / "LICENSE.md")
        shutil.copy(dist / "fonts" / "IBMPlexSans" / "complete" / "woff2" / "license.txt",
                    TARGET / "fonts" / "OFL-license.txt")
        real_version = json.loads((package / "package.json").read_text())["version"]
        (TARGET / "VERSION").write_text(real_version + "\n")
    print(f"dkfds {real_version} vendored into {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
