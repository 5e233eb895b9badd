"""Issue 11: every encoding and every vCard — legacy Asian and Cyrillic encodings detected or
chosen (page, CLI) with a preview of the names as stored, vCard 2.1 as phones and Outlook
write it, damaged cards reported with their position while the others import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from attract.people.models import Person
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_set_encoding,
    import_job_start,
)
from attract.transfer.models import ImportJob
from attract.transfer.selectors import preview_names, preview_rows
from attract.transfer.tests.conftest import DATA
from attract.transfer.vcards import vcard_import_job_create

FILES = Path(__file__).parent / "files"
MAPPING = {0: "last_name", 1: "first_name", 2: "email", 3: "company"}


def _job(owner, name: str, **options):
    data = (FILES / name).read_bytes()
    return import_job_create(
        actor=owner, kind="persons", file_name=name, chunks=iter([data]), **options
    )


def _run(owner, job, mapping=None, **options):
    mapping = mapping or {job.headers[i]: field for i, field in MAPPING.items()}
    import_job_configure(actor=owner, job=job, mapping=mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


@pytest.mark.parametrize(
    ("name", "first", "last", "company"),
    [
        ("shift_jis.csv", "太郎", "山田", "株式会社サンプル"),
        ("gbk.csv", "伟", "张", "北京科技有限公司"),
        ("big5.csv", "大文", "陳", "台灣電子股份有限公司"),
        ("euc_kr.csv", "철수", "김", "삼성전자주식회사"),
        ("cp1251.csv", "Иван", "Петров", "ООО Ромашка"),
        ("koi8_r.csv", "Иван", "Петров", "ООО Ромашка"),
    ],
)
def test_legacy_encodings_are_detected_and_names_stored_as_written(
    owner, name, first, last, company
):
    job = _run(owner, _job(owner, name))
    assert job.created_count == 3 and job.rejected_count == 0
    person = Person.objects.get(first_name=first, last_name=last)
    assert person.company.name == company


def test_a_short_shift_jis_address_book_is_not_read_as_korean(owner):
    path = DATA / "thunderbird_import_tests" / "shiftjis_addressbook.csv"
    job = import_job_create(
        actor=owner, kind="persons", file_name=path.name, chunks=iter([path.read_bytes()])
    )
    assert job.encoding == "cp932"
    assert preview_names(job, preview_rows(job)) == ["権兵衛 名無し"]


def test_the_user_chooses_another_encoding_and_sees_the_names_as_stored(owner):
    job = _job(owner, "cp1251.csv")
    import_job_configure(
        actor=owner, job=job, mapping={job.headers[0]: "last_name", job.headers[1]: "first_name"}
    )
    job = import_job_set_encoding(actor=owner, job=job, encoding="koi8-r")
    assert job.encoding == "koi8-r"
    garbled = preview_names(job, preview_rows(job))
    assert "Иван Петров" not in garbled  # read wrong: the preview shows it before any import
    job = import_job_set_encoding(actor=owner, job=job, encoding="Windows-1251")
    assert job.encoding == "cp1251"
    assert job.headers == ["Фамилия", "Имя", "Email", "Компания"]


def test_an_unknown_encoding_is_refused_with_its_name(owner):
    from django.core.exceptions import ValidationError

    job = _job(owner, "cp1251.csv")
    with pytest.raises(ValidationError, match="not an encoding Attract can read"):
        import_job_set_encoding(actor=owner, job=job, encoding="klingon-8")


def test_the_page_offers_the_encoding_and_shows_the_names(owner_client):
    data = (FILES / "koi8_r.csv").read_bytes()
    response = owner_client.post(
        reverse("transfer:import_start"),
        {"kind": "persons", "file": SimpleUploadedFile("ru.csv", data), "encoding": "cp1251"},
    )
    job = ImportJob.objects.get()
    assert job.encoding == "cp1251"  # chosen on upload, not detected
    page = owner_client.get(response["Location"]).content.decode()
    assert 'name="encoding"' in page and 'value="koi8_r"' in page
    response = owner_client.post(response["Location"], {"action": "encoding", "encoding": "koi8_r"})
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.encoding == "koi8-r" and job.headers[0] == "Фамилия"
    job.mapping = {"Фамилия": "last_name", "Имя": "first_name"}
    job.save()
    page = owner_client.get(reverse("transfer:import_job", args=[job.pk])).content.decode()
    assert "Stored as: <strong>Иван Петров</strong>" in page


def test_cli_takes_the_encoding(owner, capsys):
    call_command(
        "import",
        "persons",
        str(FILES / "koi8_r.csv"),
        "--encoding",
        "koi8_r",
        "--map",
        "Фамилия=last_name",
        "--map",
        "Имя=first_name",
    )
    assert "3 created" in capsys.readouterr().out
    assert Person.objects.filter(last_name="Сидоров", first_name="Пётр").exists()


def test_a_utf16_outlook_export_is_read(owner):
    data = "First Name,Last Name,E-mail Address\nÅsa,Öberg,asa@example.se\n".encode("utf-16")
    job = import_job_create(actor=owner, kind="persons", file_name="o.csv", chunks=iter([data]))
    assert job.encoding == "utf-16"
    _run(owner, job, mapping=job.mapping)
    assert Person.objects.get().first_name == "Åsa"


# --- vCards -----------------------------------------------------------------------------


def _vcard_job(owner, name: str, **options):
    return vcard_import_job_create(
        actor=owner, file_name=name, data=(FILES / name).read_bytes(), **options
    )


def test_a_shift_jis_vcard_21_with_quoted_printable_and_a_photo(owner):
    job = _vcard_job(owner, "shift_jis_card.vcf")
    assert job.warnings == []
    job = _run(owner, job, mapping=job.mapping, phone_region="JP")
    person = Person.objects.get()
    assert (person.first_name, person.last_name) == ("太郎", "山田")
    assert person.company.name == "株式会社サンプル"  # across a soft line break
    phones = dict(person.phones.values_list("number", "label"))
    assert phones == {"+819012345678": "mobile", "+81312345678": "work"}
    emails = dict(person.emails.values_list("email", "label"))
    assert emails == {"taro@example.jp": "home", "yamada@sample.example.jp": "work"}


def test_raw_shift_jis_cards_without_a_charset_are_detected(owner):
    job = _vcard_job(owner, "shift_jis_raw.vcf")
    job = _run(owner, job, mapping=job.mapping)
    assert job.created_count == 2
    assert Person.objects.filter(last_name="鈴木", first_name="一郎").exists()


def test_a_damaged_card_and_a_cut_off_file_are_reported_and_the_rest_imported(owner):
    job = _vcard_job(owner, "truncated.vcf")
    assert job.warnings == [
        "Card 2 (line 14): a line that cannot be read was left out (Failed to parse line: "
        "this line has no colon and breaks the card).",
        "Card 4 (line 25) is cut off (no END:VCARD before the next card or the end of the "
        "file); what it holds was read.",
    ]
    job = _run(owner, job, mapping=job.mapping)
    assert job.created_count == 4  # Lotus Notes' PROFILE:VCard line is no trouble either
    ada = Person.objects.get(last_name="Lovelace")
    assert ada.emails.count() == 3 and ada.phones.count() == 3
    assert "Address (home): 12 St James's Square, London" in ada.notes
    assert "Address (work): 1 Engine Street" in ada.notes
    turing = Person.objects.get(last_name="Turing")
    assert turing.unreadable.get().text == "alan@exa"  # cut off mid-address: kept as written


def test_vcard_warnings_reach_the_report_not_stderr(owner, capfd):
    call_command("import", "persons", str(FILES / "truncated.vcf"))
    out, err = capfd.readouterr()
    assert "Warning: Card 2 (line 14)" in out and "Warning: Card 4 (line 25)" in out
    assert "Skipped line" not in err and "Failed to parse" not in err


@pytest.mark.parametrize(
    "name",
    [
        "John_Doe_ANDROID.vcf",
        "John_Doe_LOTUS_NOTES.vcf",
        "outlook-2003.vcf",
        "John_Doe_IPHONE.vcf",
    ],  # fmt: skip
)
def test_real_address_book_exports_read_without_warnings(owner, name):
    data = (DATA / "ez_vcard_tests" / name).read_bytes()
    job = vcard_import_job_create(actor=owner, file_name=name, data=data)
    assert job.warnings == []
    job = _run(owner, job, mapping=job.mapping)
    assert job.created_count >= 1


def test_android_quoted_printable_names_across_soft_line_breaks(owner):
    data = (DATA / "ez_vcard_tests" / "John_Doe_ANDROID.vcf").read_bytes()
    job = vcard_import_job_create(actor=owner, file_name="a.vcf", data=data)
    job = _run(owner, job, mapping=job.mapping)
    # "=C3=91=20 … =C3=91=" then "=20=C3=91…" on the next line: one name.
    assert Person.objects.filter(last_name="Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ").exists()
    assert job.created_count == 4  # of six cards: two hold only an email address, no name
