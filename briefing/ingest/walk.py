"""Find the files to ingest: every supported file under the roots, in a stable order.

Unreadable paths, symlink loops, pipes and devices, and symlinks that lead outside the allowed
roots are reported as skipped, never followed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.ingest.loaders import SUPPORTED_SUFFIXES
from briefing.models import Skipped

_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Found:
    files: list[Path]
    skipped: list[Skipped]


def walk(roots: Iterable[Path], *, confined: Collection[Path] = (), allowed: Sequence[Path] = ()) -> Found:
    """Every ingestible file under the roots, sorted; unreadable paths and loops are reported.

    Every file and directory found must resolve under an ``allowed`` root or, unless its root is
    ``confined`` (one a client added), under the root itself: a symlink leading anywhere else is
    reported, never followed, whatever path led here (start-up sync, ``sync``, ``ingest``).
    """
    files: dict[str, Path] = {}
    skipped: list[Skipped] = []
    boxed = {str(r.expanduser().absolute()) for r in confined}
    allowed_real = [os.path.realpath(a) for a in allowed]
    inside: list[str] = []

    def escapes(path: str | Path) -> bool:
        real = os.path.realpath(path)
        return not any(real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in inside)

    for root in roots:
        root = root.expanduser()
        confine = str(root.absolute()) in boxed
        # A root the user named is read wherever it is; a client's must lie under the allowed roots.
        inside = allowed_real if confine else [*allowed_real, os.path.realpath(root)]
        try:
            root.stat()
        except OSError as err:
            skipped.append(Skipped(path=str(root), reason=os_reason(err)))
            continue
        if confine and escapes(root):
            skipped.append(Skipped(path=str(root), reason=OUTSIDE))
            continue
        if not root.is_dir():
            if root.is_file():
                files[str(root.absolute())] = root.absolute()
            else:
                skipped.append(Skipped(path=str(root), reason=_NOT_REGULAR))
            continue
        seen: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=lambda e: skipped.append(
            Skipped(path=str(e.filename), reason=os_reason(e))
        )):
            real = os.path.realpath(dirpath)
            if real in seen:
                skipped.append(Skipped(path=dirpath, reason="symlink loop: directory already visited"))
                dirnames[:] = []
                continue
            seen.add(real)
            if escapes(real):
                skipped.append(Skipped(path=dirpath, reason=OUTSIDE))
                dirnames[:] = []
                continue
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                path = Path(dirpath) / name
                try:
                    mode = path.stat().st_mode
                except OSError as err:
                    skipped.append(Skipped(path=str(path), reason=os_reason(err)))
                    continue
                # (its directory resolved inside: only a symlink can lead out)
                if (confine or path.is_symlink()) and escapes(path):
                    skipped.append(Skipped(path=str(path), reason=OUTSIDE))
                    continue
                if not stat.S_ISREG(mode):  # a pipe or device would block or never end
                    skipped.append(Skipped(path=str(path), reason=_NOT_REGULAR))
                    continue
                if _SURROGATE.search(str(path)):
                    skipped.append(Skipped(
                        path=str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                        reason="the file name is not valid UTF-8; rename the file",
                    ))
                    continue
                files[str(path.absolute())] = path.absolute()
    return Found(files=[files[k] for k in sorted(files)], skipped=skipped)


_NOT_REGULAR = "not a regular file (a pipe, socket or device); only files and directories are read"
OUTSIDE = "a symlink to outside the allowed roots; it is not followed (BRIEFING_ALLOWED_ROOTS)"


def os_reason(err: OSError) -> str:
    import errno

    if err.errno == errno.ELOOP:
        return "symlink loop"
    if err.errno == errno.ENOENT:
        return "no such file or directory"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return err.strerror or str(err)
