"""The bundle checks (packaging/build_bundle.py) and the trimming rules (packaging/bundle_trim.py)."""

from __future__ import annotations

import ctypes
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    # packaging/ is not a package (and `packaging` is a PyPI name): load the scripts by path
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_bundle = _load("build_bundle")
bundle_trim = _load("bundle_trim")


def _complete_bundle(app_dir: Path) -> Path:
    """A fake one-folder app holding every model, resource and platform plugin."""
    inner = app_dir / "_internal"
    for model in list((ROOT / "models").glob("*.onnx")) + list((ROOT / "models").glob("*.json")):
        (inner / "models").mkdir(parents=True, exist_ok=True)
        (inner / "models" / model.name).write_bytes(b"")
    for resource in (p for p in (ROOT / "resources").rglob("*") if p.is_file()):
        target = inner / resource.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    platforms = inner / "PySide6" / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    for name in ("libqoffscreen.so", "libqxcb.so", "qwindows.dll", "libqcocoa.dylib"):
        (platforms / name).write_bytes(b"")
    return inner


def test_bundle_check_passes_a_complete_bundle(tmp_path):
    _complete_bundle(tmp_path)
    assert build_bundle.check_contents(tmp_path) == []


def test_bundle_check_fails_a_bundle_missing_a_model_resource_or_plugin(tmp_path):
    inner = _complete_bundle(tmp_path)
    model = next((inner / "models").iterdir())
    model.unlink()
    icon = next((inner / "resources" / "icons").iterdir())
    icon.unlink()
    for plugin in (inner / "PySide6" / "Qt" / "plugins" / "platforms").iterdir():
        plugin.unlink()
    problems = build_bundle.check_contents(tmp_path)
    assert f"model missing from the bundle: models/{model.name}" in problems
    assert f"resource missing from the bundle: resources/icons/{icon.name}" in problems
    assert any(p.startswith("Qt platform plugin missing from the bundle") for p in problems)


def test_bundle_check_fails_a_bundle_holding_an_offline_only_library(tmp_path):
    inner = _complete_bundle(tmp_path)
    (inner / "sklearn").mkdir()
    assert build_bundle.check_contents(tmp_path) == ["offline-only library bundled: sklearn"]


def test_bundle_trim_drops_unused_qt_plugins_and_gtk_libraries_but_keeps_what_the_app_loads():
    def entry(dest: str) -> tuple[str, str, str]:
        return (dest, "/src/" + dest, "BINARY")

    kept_paths = ["PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                  "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/imageformats/libqsvg.so",
                  "PySide6/Qt/plugins/iconengines/libqsvgicon.so", "PySide6/Qt/lib/libQt6DBus.so.6",
                  "pillow.libs/libjpeg-6dc8d115.so.62.4.0", "libpython3.11.so.1.0", "libfreetype.so.6"]
    dropped_paths = ["PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
                     "PySide6/Qt/plugins/generic/libqevdevtouchplugin.so", "PySide6/Qt/lib/libQt6Network.so.6",
                     "libcairo.so.2", "libjpeg.so.62", "libgio-2.0.so.0"]
    datas = [("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", "/src/a", "DATA"),
             ("matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf", "/src/b", "DATA"),
             ("matplotlib/mpl-data/sample_data/goog.npz", "/src/c", "DATA"),
             ("PySide6/Qt/translations/qt_de.qm", "/src/d", "DATA")]
    binaries, kept_datas = bundle_trim.drop_unused([entry(p) for p in kept_paths + dropped_paths], datas)
    assert [b[0] for b in binaries] == kept_paths
    assert [d[0] for d in kept_datas] == ["matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
                                          "matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="vendored copies are linked on Linux only")
def test_bundle_trim_links_a_library_two_wheels_vendor_identically(tmp_path):
    first, same, other = tmp_path / "a.so", tmp_path / "b.so", tmp_path / "c.so"
    first.write_bytes(b"gfortran")
    same.write_bytes(b"gfortran")
    other.write_bytes(b"quadmath")
    binaries = [("numpy.libs/libgfortran-1.so.5", str(first), "BINARY"),
                ("scipy.libs/libgfortran-1.so.5", str(same), "BINARY"),
                ("scipy.libs/libquadmath-1.so.0", str(other), "BINARY")]
    linked = bundle_trim.link_duplicate_vendored_libs(binaries)
    assert linked[0] == binaries[0]
    assert linked[1] == ("scipy.libs/libgfortran-1.so.5", "../numpy.libs/libgfortran-1.so.5", "SYMLINK")
    assert linked[2] == binaries[2]


@pytest.mark.skipif(not sys.platform.startswith("linux") or not (shutil.which("strip") and shutil.which("readelf")),
                    reason="symbols are stripped on Linux only, with binutils")
def test_bundle_strip_shrinks_plain_libraries_and_leaves_auditwheel_patched_ones_as_built(tmp_path):
    import _json

    import numpy.linalg._umath_linalg as patched  # links numpy.libs' OpenBLAS through an RPATH

    if not getattr(_json, "__file__", None):
        pytest.skip("this Python has _json built in")
    binaries = [("python3.11/lib-dynload/_json.so", _json.__file__, "EXTENSION"),
                ("numpy/linalg/_umath_linalg.so", patched.__file__, "EXTENSION")]
    stripped = bundle_trim.strip_symbols(binaries, tmp_path)
    plain, kept = stripped
    assert kept == binaries[1]
    assert Path(plain[1]) == tmp_path / "python3.11/lib-dynload/_json.so"
    assert Path(plain[1]).stat().st_size <= Path(_json.__file__).stat().st_size
    ctypes.CDLL(plain[1])  # still a loadable library
