"""Labelled files (`code,text` columns, UTF-8 with or without a BOM, a header row): read
for `linli triage evaluate` and `linli triage import`, with every bad row named."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from linli.cases.services import MAX_DESCRIPTION

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT = MAX_DESCRIPTION  # a labelled text is a description like any report's


@dataclass
class LabelledFile:
    rows: list[tuple[str, str]] = field(default_factory=list)  # (code, text)
    errors: list[str] = field(default_factory=list)


def labelled_read(path: Path, known_codes: set[str]) -> LabelledFile:
    """Rows whose code is an active leaf category and whose text is not empty; every other
    row is an error naming its line. A file that is not UTF-8 CSV is one error."""
    out = LabelledFile()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            out.errors.append(_("The file is larger than 50 MB."))
            return out
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        out.errors.append(_("Cannot read the file: %(reason)s") % {"reason": exc.strerror})
        return out
    except UnicodeDecodeError:
        out.errors.append(_("The file is not UTF-8 text."))
        return out
    reader = csv.DictReader(io.StringIO(raw))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "code" not in fields or "text" not in fields:
        out.errors.append(_("The first row must name the columns code and text."))
        return out
    reader.fieldnames = fields
    try:
        for row in reader:
            line = reader.line_num
            code, body = (row.get("code") or "").strip(), (row.get("text") or "").strip()
            if not code and not body:
                continue
            if code not in known_codes:
                out.errors.append(_("Line %(line)d: %(code)s is not an active category code.")
                                  % {"line": line, "code": code[:20] or "—"})
            elif not body:
                out.errors.append(_("Line %(line)d: the text is empty.") % {"line": line})
            elif len(body) > MAX_TEXT:
                out.errors.append(_("Line %(line)d: the text is longer than %(n)d characters.")
                                  % {"line": line, "n": MAX_TEXT})
            else:
                out.rows.append((code, body))
    except csv.Error as exc:
        out.errors.append(_("Line %(line)d: %(reason)s") % {"line": reader.line_num,
                                                             "reason": exc})
    return out
