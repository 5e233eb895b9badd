from __future__ import annotations

import tracemalloc
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from attract.transfer.reading import as_record, detect_format, open_table
from attract.transfer.tests.conftest import DATA, write
from attract.transfer.values import guess_day_first, parse_amount, parse_date


def _records(path):
    table = open_table(path)
    return table, [as_record(table.headers, row) for row in table.rows]


def test_salesforce_export_with_bom_is_read_as_utf8():
    table, records = _records(DATA / "salesforce_data_cloud_workshop" / "Contact.csv")
    assert table.format.encoding == "utf-8-sig"
    assert table.headers[0] == "Id"
    assert records[0]["FirstName"] == "Patricia"
    # A quoted field holding commas and quotes stays one cell.
    assert records[1]["Current_Employer__c"] == "Johnson, Velasquez and Mullins"


def test_shift_jis_address_book_is_decoded():
    table, records = _records(DATA / "thunderbird_import_tests" / "shiftjis_addressbook.csv")
    assert table.format.encoding not in ("utf-8", "cp1252")
    assert records[0]["Primary Email"].endswith("@host.invalid")
    assert "\ufffd" not in records[0]["First Name"]


def test_quoted_fields_with_line_breaks_keep_their_starting_line(tmp_path):
    path = write(tmp_path, "q.csv", b'name;notes\r\nAda;"line one\r\nline two"\r\n\r\nBob;x\r\n')
    table, records = _records(path)
    assert table.format.delimiter == ";"
    assert records == [
        {"name": "Ada", "notes": "line one\r\nline two"},
        {"name": "Bob", "notes": "x"},
    ]
    rows = list(open_table(path).rows)
    assert [r.line for r in rows] == [2, 5]


def test_windows_1252_and_latin_1_files_keep_their_accents(tmp_path):
    path = write(tmp_path, "w.csv", "name\tcity\nJosé Müller\tZürich – €\n".encode("cp1252"))
    table, records = _records(path)
    assert table.format.delimiter == "\t"
    assert records[0] == {"name": "José Müller", "city": "Zürich – €"}


def test_a_utf8_file_with_one_windows_1252_line_reads_both(tmp_path):
    data = "name,city\nJosé,Köln\n".encode() + "Zoë,Málaga\n".encode("cp1252")
    _, records = _records(write(tmp_path, "mixed.csv", data))
    assert [r["name"] for r in records] == ["José", "Zoë"]


def test_a_file_that_is_not_csv_is_refused_with_a_clear_message(tmp_path):
    path = write(tmp_path, "x.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ValidationError, match="not a CSV"):
        detect_format(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="empty"):
        open_table(write(tmp_path, "e.csv", b"\n\n"))


def test_dates_in_common_formats():
    assert parse_date("2024-03-01", day_first=True) == date(2024, 3, 1)
    assert parse_date("2024-01-23T02:21:49.000+0000", day_first=True) == date(2024, 1, 23)
    assert parse_date("03/01/2024", day_first=False) == date(2024, 3, 1)
    assert parse_date("03/01/2024 14:30", day_first=True) == date(2024, 1, 3)
    assert parse_date("1.3.2024", day_first=True) == date(2024, 3, 1)
    assert parse_date("", day_first=True) is None
    with pytest.raises(ValidationError):
        parse_date("next tuesday-ish", day_first=True)


def test_day_first_is_guessed_from_an_unambiguous_date():
    assert guess_day_first(["01/02/2024", "31/01/2024"]) is True
    assert guess_day_first(["01/02/2024", "12/31/2024"]) is False
    assert guess_day_first(["01/02/2024"]) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$1,234.56", "1234.56"),
        ("1.234,56 €", "1234.56"),
        ("1 234,5 CHF", "1234.5"),
        ("12,5", "12.5"),
        ("1,234", "1234"),
        ("(120.00)", "-120.00"),
        ("£1,000,000", "1000000"),
    ],
)
def test_amounts_with_currency_symbols_and_thousands_separators(text, amount):
    assert parse_amount(text) == Decimal(amount)


def test_a_50_mb_file_is_streamed(tmp_path):
    line = b"Ada,Lovelace,ada@example.com,Analytical Engines Ltd,some notes to pad the row out\n"
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:
        handle.write(b"first,last,email,company,notes\n")
        handle.write(line * (50 * 1024 * 1024 // len(line)))
    # A reader that loads the file whole would allocate 50 MB before the first row; a
    # streaming one holds a buffer. Traced only while opening and reading the first rows.
    tracemalloc.start()
    try:
        table = open_table(path)
        rows = iter(table.rows)
        first = [next(rows) for _ in range(1000)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 1024 * 1024
    assert first[0].cells[0] == "Ada"
    assert len(first) + sum(1 for _ in rows) == 50 * 1024 * 1024 // len(line)
