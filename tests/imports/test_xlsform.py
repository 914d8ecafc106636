"""The field form as a staff user downloads it: pyxform converts it, ODK Validate accepts it."""

import io
import shutil

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pyxform.validators.odk_validate import ODKValidateError, check_xform
from pyxform.xls2xform import convert

from tests.factories import MemberFactory, PlantingFactory, PlotFactory, SpeciesFactory


@pytest.fixture
def form_data(plot, caoba):
    cedro = SpeciesFactory(scientific_name="Cedrela odorata", local_name="Cedro")
    PlantingFactory(plot=plot, species=caoba, trees_planted=120)
    PlantingFactory(plot=plot, species=caoba, trees_planted=30)
    PlotFactory(member=plot.member, code="AC-0001-P2")
    PlotFactory(member=MemberFactory(community=plot.member.community))
    return {"plot": plot, "caoba": caoba, "cedro": cedro}


def downloaded_form(client) -> bytes:
    response = client.get(reverse("dataio:xlsform"))
    assert response.status_code == 200
    return response.content


def survey_sheet(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))["survey"]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]


def test_pyxform_converts_the_downloaded_form(staff_client, form_data):
    warnings = []
    result = convert(downloaded_form(staff_client), warnings=warnings, form_name="acopagro")
    xform = result.xform
    assert 'id="acopagro_monitoring"' in xform
    caoba = f"sp{form_data['caoba'].pk}"
    # Names unique across the survey: every species has its own counts.
    for field in ("alive", "dead", "replanted", "loss_cause"):
        assert f"/acopagro/{caoba}/{caoba}_{field}" in xform
    assert 'type="geoshape"' in xform and 'type="geopoint"' in xform
    assert "<trees " in xform or "<trees>" in xform
    assert "Español (es)" in xform and "English (en)" in xform
    # The cascade and the planted-trees ceiling come from the choices filled from the database.
    assert "community=" in xform.replace(" ", "") and "member=" in xform.replace(" ", "")
    assert f"planted_{caoba}" in xform
    assert ">150<" in xform  # 120 + 30 Caoba planted on the plot, summed


def test_survey_names_are_unique(staff_client, form_data):
    names = [r["name"] for r in survey_sheet(downloaded_form(staff_client)) if r["name"]]
    assert len(names) == len(set(names))


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java (not installed)")
def test_odk_validate_accepts_the_downloaded_form(staff_client, form_data, tmp_path):
    # ODK Validate is pyxform's bundled ODK_Validate.jar: the JavaRosa engine of ODK Collect.
    xform = convert(downloaded_form(staff_client), form_name="acopagro").xform
    path = tmp_path / "acopagro_monitoring.xml"
    path.write_text(xform, encoding="utf-8")
    warnings = check_xform(str(path))
    assert not any("took to long" in w for w in warnings), warnings

    # The validator really runs: the same form with a constraint cut short is refused.
    broken = tmp_path / "broken.xml"
    broken.write_text(xform.replace('constraint=". &gt;= 0"', 'constraint=". &gt;= "'))
    assert broken.read_text() != xform
    with pytest.raises(ODKValidateError):
        check_xform(str(broken))
