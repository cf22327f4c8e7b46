"""Compile linli/locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext.

The .mo files are committed, so a fresh machine runs the translated UI with no gettext
installed; `make messages` refreshes the .po files and then runs this. Only the Python
standard library is used. Output is deterministic (entries sorted, no hash table), and a
.mo is rewritten only when its bytes change, so running it twice is a no-op.

    python scripts/compile_messages.py           write the stale .mo files
    python scripts/compile_messages.py --check   exit 1 if any .mo is stale
"""

import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "linli" / "locale"

_MAGIC = 0x950412DE
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ESCAPES.get(code, code)

    return _ESCAPE_RE.sub(replace, text)


def _quoted(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")
    return _unescape(text[1:-1])


def _keyword(line: str) -> tuple[str, str]:
    keyword, _sep, rest = line.partition(" ")
    return keyword, rest


def parse_po(text: str, name: str = "<po>") -> list[Entry]:
    """Entries of a .po file, the header (msgid "") included; obsolete (#~) ones dropped."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    seen_msgid = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line, where = raw.strip(), f"{name}:{number}"
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if seen_msgid:  # a comment starts the next entry
                entries.append(entry)
                entry, seen_msgid, target = Entry(), False, None
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: continuation line with nothing to continue")
            _append(entry, target, _quoted(line, where))
            continue
        keyword, rest = _keyword(line)
        if keyword in ("msgctxt", "msgid") and seen_msgid and target and target[0] == "msgstr":
            entries.append(entry)
            entry, seen_msgid = Entry(), False
        target = _target(keyword, where)
        seen_msgid = seen_msgid or keyword == "msgid"
        _append(entry, target, _quoted(rest, where), start=True)
    if seen_msgid:
        entries.append(entry)
    return entries


def _target(keyword: str, where: str) -> tuple[str, int]:
    if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
        return keyword, 0
    match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
    if match is None:
        raise ValueError(f"{where}: unknown keyword {keyword!r}")
    return "msgstr", int(match.group(1))


def _append(entry: Entry, target: tuple[str, int], text: str, start: bool = False) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    else:
        current = "" if start else (getattr(entry, name) or "")
        setattr(entry, name, current + text)


def _header_value(text: str) -> str:
    # makemessages stamps POT-Creation-Date on every run; leaving it out (as GNU msgfmt
    # does) keeps the .mo unchanged when no translation changed.
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("POT-Creation-Date:"))


def _key_and_value(entry: Entry) -> tuple[bytes, bytes]:
    key = entry.msgid
    if entry.msgctxt is not None:
        key = f"{entry.msgctxt}\x04{key}"
    if entry.msgid_plural is not None:
        key = f"{key}\x00{entry.msgid_plural}"
    value = "\x00".join(entry.msgstr[i] for i in sorted(entry.msgstr))
    if key == "":
        value = _header_value(value)
    return key.encode("utf-8"), value.encode("utf-8")


def build_mo(entries: list[Entry]) -> bytes:
    """The GNU .mo bytes for the translated, non-fuzzy entries (little-endian, revision 0)."""
    pairs = sorted(_key_and_value(e) for e in entries if e.translated and not e.fuzzy)
    count = len(pairs)
    header_size = 7 * 4
    ids_offset = header_size
    strs_offset = ids_offset + count * 8
    data_offset = strs_offset + count * 8
    ids_table, strs_table, data = [], [], bytearray()
    for key, _value in pairs:
        ids_table.append((len(key), data_offset + len(data)))
        data += key + b"\x00"
    for _key, value in pairs:
        strs_table.append((len(value), data_offset + len(data)))
        data += value + b"\x00"
    out = bytearray(struct.pack("<7I", _MAGIC, 0, count, ids_offset, strs_offset, 0, 0))
    for length, offset in ids_table + strs_table:
        out += struct.pack("<2I", length, offset)
    return bytes(out + data)


def compile_po(po_path: Path, mo_path: Path) -> bool:
    """Write mo_path from po_path if its bytes differ. True when the file was (re)written."""
    mo = build_mo(parse_po(po_path.read_text(encoding="utf-8"), str(po_path)))
    if mo_path.exists() and mo_path.read_bytes() == mo:
        return False
    mo_path.write_bytes(mo)
    return True


def catalogs(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        if check:
            expected = build_mo(parse_po(po_path.read_text(encoding="utf-8"), str(po_path)))
            if not mo_path.exists() or mo_path.read_bytes() != expected:
                stale.append(mo_path)
        elif compile_po(po_path, mo_path):
            print(f"compiled {mo_path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"stale: {names}; run `python scripts/compile_messages.py`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
