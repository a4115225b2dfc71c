"""What pyinstaller.spec leaves out of the one-folder app after PyInstaller's analysis, and why.

PyInstaller's hooks collect whole Qt plugin folders, every dependency of every collected
library and each package's data; the rules here drop the parts the app never loads, strip
symbol tables and debug info from Linux libraries, and keep one copy of a library two wheels
both vendor. Each rule says why it is safe; the bundle's --self-test (which opens every page,
draws the charts and loads the models) runs after every build.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

# Binaries (paths inside the bundle, "/"-separated) no session of the app loads.
UNUSED_BINARY_PATHS = (
    # Qt's GTK platform theme drags GTK, Cairo and Pango in; the app sets the Fusion style.
    "PySide6/Qt/plugins/platformthemes/libqgtk3",
    # Platforms for embedded devices and remote framebuffers: desktops use xcb or wayland,
    # CI and the self-test use offscreen. The EGLFS support libraries serve only eglfs.
    "PySide6/Qt/plugins/platforms/libqeglfs", "PySide6/Qt/plugins/platforms/libqlinuxfb",
    "PySide6/Qt/plugins/platforms/libqminimal", "PySide6/Qt/plugins/platforms/libqvnc",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay", "PySide6/Qt/plugins/egldeviceintegrations/",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration", "PySide6/Qt/lib/libQt6EglFsKmsSupport",
    # Raw input-device plugins (evdev, TUIO) that only those embedded platforms load.
    "PySide6/Qt/plugins/generic/",
    # Image formats the app never reads: its icons are SVG, PNG is built into QtGui.
    "PySide6/Qt/plugins/imageformats/libqtiff", "PySide6/Qt/plugins/imageformats/libqwebp",
    "PySide6/Qt/plugins/imageformats/libqicns", "PySide6/Qt/plugins/imageformats/libqtga",
    "PySide6/Qt/plugins/imageformats/libqwbmp",
    # QtNetwork is excluded; its library still arrives as a dependency of its plugins' analysis.
    "PySide6/Qt/lib/libQt6Network",
    # Pillow's AVIF, WebP and colour-management codecs and its Tk bridge: matplotlib only reads
    # and writes PNG through Pillow (Pillow skips a codec whose module is missing), Tk is excluded.
    "libavif", "PIL/_avif", "PIL/_webp", "pillow.libs/libwebp", "pillow.libs/libsharpyuv",
    "PIL/_imagingcms", "pillow.libs/liblcms2", "PIL/_imagingtk",
)

# Top-level libraries that came in only as dependencies of the GTK platform theme and of
# libQt6Network above (checked with readelf: nothing left in the bundle links against them).
DEPENDENCIES_OF_DROPPED_ONLY = (
    "libgssapi_krb5.so", "libkrb5.so", "libk5crypto.so", "libkrb5support.so", "libcom_err.so", "libkeyutils.so",
    "libgdk_pixbuf-2.0.so", "libatk-1.0.so", "libcairo.so", "libcairo-gobject.so", "libpango-1.0.so",
    "libpangocairo-1.0.so", "libpangoft2-1.0.so", "libharfbuzz.so", "libgraphite2.so", "libfribidi.so",
    "libthai.so", "libdatrie.so", "libpixman-1.so", "libjpeg.so", "libXrender.so", "libXext.so",
    "libgio-2.0.so", "libgobject-2.0.so", "libgmodule-2.0.so", "libmount.so", "libblkid.so", "libselinux.so",
)

# Data files the app never reads.
UNUSED_DATA_PATHS = (
    # Qt's own translations (7 MB): the app's texts are English and it ships no Qt translation.
    "PySide6/Qt/translations/",
    # matplotlib draws in DejaVu Sans, its mathtext (axis offsets, exponents) in DejaVu Sans
    # with STIX and Computer Modern as fallbacks, which stay; the serif family is never asked
    # for. AFM and core fonts serve only the PostScript backend and pdf.use14corefonts; sample
    # data serves matplotlib's examples.
    "matplotlib/mpl-data/fonts/ttf/DejaVuSerif",
    "matplotlib/mpl-data/fonts/afm/", "matplotlib/mpl-data/fonts/pdfcorefonts/",
    "matplotlib/mpl-data/sample_data/",
)


def _posix(dest: str) -> str:
    return dest.replace("\\", "/")


def drop_unused(binaries: list, datas: list) -> tuple[list, list]:
    """The analysis' binaries and datas without the entries listed above."""
    def unused_binary(dest: str) -> bool:
        path = _posix(dest)
        only_for_dropped = "/" not in path and path.startswith(DEPENDENCIES_OF_DROPPED_ONLY)
        return only_for_dropped or any(unused in path for unused in UNUSED_BINARY_PATHS)

    kept_binaries = [entry for entry in binaries if not unused_binary(entry[0])]
    kept_datas = [entry for entry in datas if not any(u in _posix(entry[0]) for u in UNUSED_DATA_PATHS)]
    return kept_binaries, kept_datas


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def _patched_by_auditwheel(dest: str, src: Path) -> bool:
    """Libraries a wheel vendors under `<package>.libs`, and modules that find them through
    an RPATH patchelf wrote: strip breaks patchelf's layout ("ELF load command address/offset
    not page-aligned"), so they stay as built."""
    if any(part.endswith(".libs") for part in PurePosixPath(_posix(dest)).parts[:-1]):
        return True
    dynamic = subprocess.run(["readelf", "-d", str(src)], capture_output=True, text=True, check=False).stdout
    return any(("RPATH" in line or "RUNPATH" in line) and ".libs" in line for line in dynamic.splitlines())


def strip_symbols(binaries: list, cache_dir: Path) -> list:
    """On Linux, the binaries with their symbol tables and debug info stripped (copies in
    `cache_dir`; libpython alone carries 17 MB of them). Anything auditwheel patched is kept
    as built; a library strip cannot handle is kept as built too."""
    if not sys.platform.startswith("linux") or not (shutil.which("strip") and shutil.which("readelf")):
        return binaries
    result = []
    for dest, src, typecode in binaries:
        source = Path(src)
        if typecode in ("BINARY", "EXTENSION") and source.is_file() and _is_elf(source) \
                and not _patched_by_auditwheel(dest, source):
            target = cache_dir / _posix(dest)
            target.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run(["strip", "--strip-all", "-o", str(target), str(source)],
                                  capture_output=True, check=False)
            if done.returncode == 0:
                src = str(target)
        result.append((dest, src, typecode))
    return result


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def link_duplicate_vendored_libs(binaries: list) -> list:
    """Two wheels can vendor the very same library (numpy.libs and scipy.libs both hold
    libgfortran-040039e1...): the second copy becomes a relative symlink to the first, which
    the loader follows as it would the file. Linux only: Windows' `<package>.libs` copies
    (delvewheel) stay files, symlinks there need privileges the installer cannot count on."""
    if not sys.platform.startswith("linux"):
        return binaries
    first_copy: dict[tuple[str, str], PurePosixPath] = {}
    result = []
    for dest, src, typecode in binaries:
        path = PurePosixPath(_posix(dest))
        if typecode == "BINARY" and len(path.parts) == 2 and path.parts[0].endswith(".libs"):
            key = (path.name, _sha256(Path(src)))
            if key in first_copy:
                result.append((dest, f"../{first_copy[key].parent.name}/{path.name}", "SYMLINK"))
                continue
            first_copy[key] = path
        result.append((dest, src, typecode))
    return result
