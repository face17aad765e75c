"""Files Covenant writes (saved facts, formatted source, calendars): always whole.

`write_atomically` writes through a temporary file in the same folder and renames it
over the target, so that an interruption leaves either the old file or the new one,
never half of one. Every command that writes a file uses it."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from dsl.errors import UsageProblem


def write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, so that the
    file is either the old one or the whole new one, never half written. Text that is
    not valid Unicode (a lone surrogate) is refused before anything is written."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UsageProblem(f"cannot save to {path}: character {ascii(error.object[error.start])} cannot be "
                           "written as UTF-8", hint="set that fact again with plain text") from None
    target = Path(path)
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except (OSError, ValueError) as error:  # ValueError: a name no file can have (a NUL character)
        shown = path if path.isprintable() else ascii(path)
        raise UsageProblem(f"cannot save to {shown}: {getattr(error, 'strerror', None) or error}",
                           hint="check that the folder exists and can be written") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageProblem(f"cannot save to {path}: {error.strerror or error}") from None
