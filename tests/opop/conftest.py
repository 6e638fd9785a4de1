"""OPOP fixtures: an application as a koperasi sends it, and the team member who decides."""

import pytest

from tests.seller_fixtures import png_bytes

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def application_form(n: int = 1, **overrides) -> dict:
    data = {
        "pesantren_name": f"Pondok Pesantren Uji {n}", "nspp": "510335123456", "leader": "KH. Pengasuh Uji",
        "region_code": "kab-jombang", "address": "Jl. Pesantren 1", "koperasi_name": f"Koppontren Uji {n}",
        "nib": f"91200000{n:05d}", "legal_entity_number": "AHU-0001234.AH.01.26.TAHUN 2019",
        "npwp": "01.234.567.8-901.000", "phone": "+6281234500001", "chair_name": "Ustadz Ketua",
        "chair_phone": "081234500002", "treasurer_name": "", "treasurer_phone": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def team(make_user):
    return make_user(name="Petugas OPOP", is_opop_admin=True)


@pytest.fixture
def apply(client):
    """Posts the application form as the logged-in user, with a PDF and a picture unless told otherwise."""
    import io

    def send(n: int = 1, documents=None, **overrides):
        data = application_form(n, **overrides)
        files = documents if documents is not None else {"doc_nib": (PDF, "nib.pdf"),
                                                         "doc_npwp": (png_bytes(), "npwp.png")}
        for name, (payload, filename) in files.items():
            data[name] = (io.BytesIO(payload), filename)
        return client.post("/daftar-koperasi", data=data, content_type="multipart/form-data",
                           follow_redirects=True)

    return send
