"""Workbooks and CSV files built by hand, byte by byte, as an attacker or a broken program would.

Each part of a workbook is written as XML text into a zip archive, so a file can hold what no
spreadsheet program writes: millions of cells in one row, a shared string of 340 MB, a cell
reference ``B-5``. Used by the tests and by ``bench/uploads.py``.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

# A style sheet with one cell format, number 1, that shows a date (built-in format 14).
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font/></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()


def workbook(
    sheet: bytes | Iterable[bytes],
    *,
    strings: bytes | Iterable[bytes] | None = None,
    dimension: str | None = None,
) -> bytes:
    """An .xlsx file whose first sheet's ``<sheetData>`` holds ``sheet`` (bytes or chunks).

    ``strings`` is the inside of the shared-string table (``<si>`` elements), if any. Chunks
    are streamed into the archive, so a part of hundreds of megabytes never sits in memory.
    """
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        overrides = [
            ("/xl/workbook.xml", _BOOK_TYPE),
            ("/xl/worksheets/sheet1.xml", _SHEET_TYPE),
            ("/xl/styles.xml", _STYLES_TYPE),
        ]
        relations = [
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "styles", "styles.xml"),
        ]
        if strings is not None:
            overrides.append(("/xl/sharedStrings.xml", _STRINGS_TYPE))
            relations.append(("rId3", "sharedStrings", "sharedStrings.xml"))
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{_TYPES}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
            + "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
            f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}">'
            + "".join(
                f'<Relationship Id="{i}" Type="{_DOC_RELS}/{kind}" Target="{target}"/>'
                for i, kind, target in relations
            )
            + "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        size = f'<dimension ref="{dimension}"/>' if dimension else ""
        _stream(
            archive,
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}">{size}<sheetData>'.encode(),
            sheet,
            b"</sheetData></worksheet>",
        )
        if strings is not None:
            _stream(
                archive,
                "xl/sharedStrings.xml",
                f'<sst xmlns="{_MAIN}">'.encode(),
                strings,
                b"</sst>",
            )
    return output.getvalue()


def _stream(
    archive: zipfile.ZipFile, name: str, head: bytes, body: bytes | Iterable[bytes], tail: bytes
) -> None:
    if isinstance(body, bytes):
        archive.writestr(name, head + body + tail)
        return
    with archive.open(name, "w", force_zip64=True) as part:
        part.write(head)
        for chunk in body:
            part.write(chunk)
        part.write(tail)


def row(number: int, *cells: str) -> bytes:
    """A row of inline-text cells, the way openpyxl writes text."""
    inner = "".join(
        f'<c r="{_column(index)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for index, text in enumerate(cells)
    )
    return f'<row r="{number}">{inner}</row>'.encode()


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


LEDGER_HEADER = row(1, "date", "customer", "amount")
FIGURES_HEADER = row(1, "month", "revenue")


def ledger_with(cell_xml: str) -> bytes:
    """A ledger sheet with one good sale and a second sale whose amount cell is ``cell_xml``."""
    return workbook(
        LEDGER_HEADER
        + row(2, "2025-01-05", "ana", "12.5")
        + f'<row r="3"><c r="A3" t="inlineStr"><is><t>2025-01-06</t></is></c>'
        f'<c r="B3" t="inlineStr"><is><t>ben</t></is></c>{cell_xml}</row>'.encode()
    )


def figures_with(cell_xml: str) -> bytes:
    """A figures sheet (month, revenue) whose second month's revenue cell is ``cell_xml``."""
    return workbook(
        FIGURES_HEADER
        + row(2, "2025-01", "100")
        + f'<row r="3"><c r="A3" t="inlineStr"><is><t>2025-02</t></is></c>{cell_xml}</row>'.encode()
    )


# The cells that gave a 500 in both uploads (issue 13), each as the amount or revenue cell.
BROKEN_CELLS = {
    "shared string out of range": '<c r="C3" t="s"><v>99</v></c>',
    "text in a number cell": '<c r="C3"><v>abc</v></c>',
    "NaN in a number cell": '<c r="C3"><v>NaN</v></c>',
    "a date cell that is not a date": '<c r="C3" t="d"><v>not a date</v></c>',
    "the cell reference B-5": '<c r="B-5"><v>1</v></c>',
}


def wide_unknown_csv(columns: int = 200_000) -> bytes:
    """A figures CSV whose header names ``columns`` figure codes that do not exist (1.5 MB)."""
    header = "month," + ",".join(f"x{index}" for index in range(columns))
    return f"{header}\n2025-01,1\n".encode()


def one_long_row(cells: int = 5_000_000) -> bytes:
    """An .xlsx whose only row has ``cells`` number cells (about 150 KB packed)."""
    block = b"<c><v>1</v></c>" * 100_000
    chunks = [b'<row r="1">', *([block] * (cells // 100_000)), b"</row>"]
    return workbook(chunks)


def many_rows_no_dimension(rows: int = 3_000_000) -> bytes:
    """A ledger .xlsx with a header and ``rows`` sales, and no ``<dimension>`` to say so."""
    sale = (
        b'<row><c t="inlineStr"><is><t>2025-01-05</t></is></c>'
        b'<c t="inlineStr"><is><t>ana</t></is></c><c><v>1</v></c></row>'
    )
    chunks = [LEDGER_HEADER, *([sale * 10_000] * (rows // 10_000))]
    return workbook(chunks)


def huge_shared_strings(megabytes: int = 340) -> bytes:
    """An .xlsx whose shared-string table unpacks to ``megabytes`` MB (under 1 MB packed)."""
    block = b"A" * (1024 * 1024)
    strings = [b"<si><t>", *([block] * megabytes), b"</t></si>"]
    return workbook(
        FIGURES_HEADER + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>', strings=strings
    )


def entity_expansion() -> bytes:
    """A sheet whose XML declares entities that expand a billion times (the billion laughs)."""
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10)
    )
    laughs += "]>"
    output = io.BytesIO(workbook(row(1, "month", "&lol9;")))
    return _replace_part(
        output.getvalue(),
        "xl/worksheets/sheet1.xml",
        lambda xml: laughs.encode() + xml.replace(b"<t>&amp;lol9;</t>", b"<t>&lol9;</t>"),
    )


def _replace_part(raw: bytes, name: str, change: object) -> bytes:
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == name:
                data = change(data)  # type: ignore[operator]
            target.writestr(info.filename, data)
    return output.getvalue()


def lying_sizes(raw: bytes, name: str, declared: int) -> bytes:
    """``raw`` with the part ``name`` declaring ``declared`` bytes unpacked, whatever it holds."""
    data = bytearray(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo(name)
        if info.file_size >= 0xFFFFFFFF or info.extra:
            raise ValueError("only small parts without zip64 extras can be rewritten")
        struct.pack_into("<I", data, info.header_offset + 22, declared)
    # Every central directory entry for ``name``: its uncompressed size sits at offset 24.
    start = 0
    encoded = name.encode()
    while (start := raw.find(b"PK\x01\x02", start)) >= 0:
        name_length = struct.unpack_from("<H", raw, start + 28)[0]
        if raw[start + 46 : start + 46 + name_length] == encoded:
            struct.pack_into("<I", data, start + 24, declared)
        start += 4
    return bytes(data)
