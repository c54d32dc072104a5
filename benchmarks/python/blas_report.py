"""Which BLAS this Python process really runs, printed beside every reference timing so its fairness is visible.

numpy.show_config() names the libraries numpy was *built* against (Debian builds against the generic libblas.so.3);
which library is *loaded* is decided at run time by the Debian alternatives, so the lines below also list the BLAS and
LAPACK libraries mapped into this process and ask OpenBLAS, if loaded, for its kernel core type and thread count.
"""
import contextlib
import ctypes
import io
import os

import numpy


def describe():
    """A dict: numpy version, loaded BLAS/LAPACK libraries, OpenBLAS core type/config/threads, relevant environment."""
    info = {"numpy": numpy.__version__}
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    loaded = sorted(p for p in paths
                    if p.rsplit("/", 1)[-1].startswith("lib") and any(k in p.rsplit("/", 1)[-1] for k in ("blas", "lapack")))
    info["loaded_libraries"] = loaded
    try:
        openblas = ctypes.CDLL("libopenblas.so.0")
        openblas.openblas_get_corename.restype = ctypes.c_char_p
        openblas.openblas_get_config.restype = ctypes.c_char_p
        info["openblas_core"] = openblas.openblas_get_corename().decode()
        info["openblas_config"] = openblas.openblas_get_config().decode()
        info["openblas_threads"] = openblas.openblas_get_num_threads()
    except (OSError, AttributeError):
        info["openblas_core"] = None
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        info[name] = os.environ.get(name)
    return info


def print_report(prefix="# "):
    """Prints describe() and numpy.show_config(), each line prefixed (the .NET harness echoes these lines)."""
    for key, value in describe().items():
        print(f"{prefix}{key}: {value}")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        numpy.show_config()
    sections, current = [], None
    for line in buffer.getvalue().splitlines():
        if line and not line.startswith(" "):
            current = [line.strip().rstrip(":")]
            sections.append(current)
        elif current is not None and "libraries" in line:
            current.append(line.strip())
    built = "; ".join(" ".join(s) for s in sections if len(s) > 1)
    print(f"{prefix}numpy.show_config (build time; the loaded libraries above are what runs): {built}")


def set_threads(count):
    """Sets OpenBLAS's thread count at run time (no-op without OpenBLAS)."""
    try:
        ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(int(count))
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    import sklearn  # noqa: F401  (the IsoScore reference needs it: fail here if it is missing)
    print_report()
