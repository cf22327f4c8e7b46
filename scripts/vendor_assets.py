"""Copy the front-end files Linli serves from node_modules into linli/static/vendor, and
the Chinese font its PDFs use into linli/core/fonts.

Run by `make setup` after `npm ci`: every asset is installed from the npm registry and
served by Linli itself, never from a CDN (deployments sit on intranets). The font (Noto Sans
SC, OFL, two TrueType files of about 10 MB) is not for browsers, so it stays out of static/:
only the PDF builder (linli/core/pdf.py) reads it, and embeds the glyphs a document uses.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
TARGET = ROOT / "linli" / "static" / "vendor"

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts.min.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "@picocss/pico/css/pico.min.css": "pico.min.css",
    "leaflet.markercluster/dist/leaflet.markercluster.js": "leaflet/markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css": "leaflet/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css": "leaflet/MarkerCluster.Default.css",
    "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js": "leaflet/geoman.min.js",
    "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css": "leaflet/geoman.css",
}
DIRS = {"leaflet/dist/images": "leaflet/images"}
FONT_TARGET = ROOT / "linli" / "core" / "fonts"
FONTS = {
    "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf":
        "NotoSansSC_400Regular.ttf",
    "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf": "NotoSansSC_700Bold.ttf",
    "@expo-google-fonts/noto-sans-sc/LICENSE_FONT": "LICENSE_FONT.txt",
}


def main() -> int:
    missing = [src for src in [*FILES, *DIRS, *FONTS] if not (MODULES / src).exists()]
    if missing:
        print("Front-end packages are missing; run `npm ci` first:", *missing, sep="\n  ")
        return 1
    for src, dst in FILES.items():
        (TARGET / dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / src, TARGET / dst)
    for src, dst in DIRS.items():
        shutil.copytree(MODULES / src, TARGET / dst, dirs_exist_ok=True)
    FONT_TARGET.mkdir(parents=True, exist_ok=True)
    for src, dst in FONTS.items():
        shutil.copyfile(MODULES / src, FONT_TARGET / dst)
    print(f"vendored {len(FILES)} files and {len(DIRS)} folders into {TARGET.relative_to(ROOT)}"
          f", the PDF font into {FONT_TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
