"""Windows-1250 (Central European) CSV files: Polish and Czech names are read right without
the user choosing the encoding, Western European files stay Windows-1252, and the encoding a
user chooses (page, API, `--encoding`) still wins over the detected one. The files are
written here, in a temporary folder, as Excel on a Polish or Czech Windows writes them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from attract.people.models import Person
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
)
from attract.transfer.reading import detect_encoding

# Semicolons, as Excel writes CSV where the decimal separator is a comma.
POLISH_AND_CZECH = (
    "Imię;Nazwisko;E-mail;Firma\r\n"
    "Łukasz;Żółć;lukasz@example.pl;Przedsiębiorstwo Źródło sp. z o.o.\r\n"
    "Grzegorz;Brzęczyszczykiewicz;g@example.pl;Łódź Śląsk S.A.\r\n"
    "Řehoř;Šťastný;rehor@example.cz;Továrna Čech s.r.o.\r\n"
    "Jiří;Dvořák;jiri@example.cz;Žďár a syn\r\n"
)
WESTERN = (
    "First Name,Last Name,City\r\n"
    "Jürgen,Müller,München\r\nFrançois,Lefèvre,Besançon\r\nJosé,Muñoz,Córdoba\r\n"
    "Søren,Kierkegård,København\r\nHélène,Dupré,Besançon\r\nAnaïs,Bérard,Nîmes\r\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (POLISH_AND_CZECH, "cp1250"),
        ("Jméno,Příjmení\nJiří,Dvořák\nZdeněk,Čech\nRůžena,Nováková\n", "cp1250"),  # no ť
        ("Imię,Nazwisko\nŁukasz,Żółć\nAgnieszka,Wójcik\n", "cp1250"),
        (WESTERN, "cp1252"),
        ("Nombre,Apellido\nJosé,Muñoz\nMaría,Núñez\nIñigo,Peña\n", "cp1252"),
        ("Fornavn,Etternavn\nSøren,Kierkegård\nÅse,Ødegård\n", "cp1252"),
    ],
)
def test_central_and_western_european_code_pages_are_told_apart(text, expected):
    encoding = "cp1250" if expected == "cp1250" else "cp1252"
    assert detect_encoding(text.encode(encoding)) == expected


def _written(tmp_path, text: str, encoding: str):
    path = tmp_path / "kontakty.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.django_db
def test_a_windows_1250_file_is_imported_with_its_names_as_written(owner, tmp_path):
    path = _written(tmp_path, POLISH_AND_CZECH, "cp1250")
    job = import_job_create(
        actor=owner, kind="persons", file_name=path.name, chunks=iter([path.read_bytes()])
    )
    assert job.encoding == "cp1250"
    assert job.headers == ["Imię", "Nazwisko", "E-mail", "Firma"]
    mapping = {"Imię": "first_name", "Nazwisko": "last_name", "E-mail": "email", "Firma": "company"}
    import_job_configure(actor=owner, job=job, mapping=mapping)
    import_job_start(actor=owner, job=job)
    job = import_job_process(job=job)
    assert job.created_count == 4 and job.rejected_count == 0
    lukasz = Person.objects.get(first_name="Łukasz")
    assert lukasz.last_name == "Żółć"
    assert lukasz.company.name == "Przedsiębiorstwo Źródło sp. z o.o."
    assert Person.objects.get(first_name="Řehoř").last_name == "Šťastný"
    assert Person.objects.get(last_name="Dvořák").company.name == "Žďár a syn"


@pytest.mark.django_db
def test_the_encoding_the_user_chooses_still_wins(owner, tmp_path, capsys):
    path = _written(tmp_path, "First Name,Last Name\nJosé,Dvořák\nŁukasz,Żółć\n", "cp1250")
    job = import_job_create(
        actor=owner,
        kind="persons",
        file_name=path.name,
        chunks=iter([path.read_bytes()]),
        encoding="latin-1",
    )
    assert job.encoding == "iso8859-1"  # as chosen (its standard name), not detected
    call_command("import", "persons", str(path), "--encoding", "cp1252")
    assert "2 created" in capsys.readouterr().out
    # Read as the user said (Windows-1252), not as detected: "Łukasz" is "£ukasz".
    assert Person.objects.filter(first_name="£ukasz").exists()
