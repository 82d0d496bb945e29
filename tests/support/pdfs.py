"""PDFs made in the tests, with known content on known pages."""
from __future__ import annotations


def text_pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def padded_text_pdf(pages: list[str], padding_bytes: int) -> bytes:
    """`text_pdf` with an incompressible attachment of `padding_bytes`: a file big enough for an
    upload to take visible time, whose text (and so its chunks) stays that of `pages`."""
    import os

    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    pdf.embed_file(bytes=os.urandom(padding_bytes), basename="raw-scan.bin", compress=False)
    return bytes(pdf.output())


def encrypted_pdf(text: str = "Confidential protocol.") -> bytes:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret",
                       encryption_method=EncryptionMethod.AES_128)
    return bytes(pdf.output())


def drawing_only_pdf(pages: int = 2) -> bytes:
    """Pages with shapes and no text, like a scanned document without OCR."""
    from fpdf import FPDF

    pdf = FPDF()
    for i in range(pages):
        pdf.add_page()
        pdf.set_fill_color(30 * i, 120, 200)
        pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


CARDIO_PAGES = [
    ("Clínica Cardio Saúde - Protocolo de atendimento. Este documento descreve a rotina da clínica. "
    "Os pacientes devem chegar com quinze minutos de antecedência. O estacionamento fica no subsolo."),
    ("Hypertension management. For adults with stage 1 hypertension, start with lifestyle changes: "
    "reduce sodium intake below 2 grams per day, exercise 150 minutes per week and limit alcohol. "
    "Reassess blood pressure after three months before starting medication."),
    ("Anticoagulation after atrial fibrillation. Patients with a CHA2DS2-VASc score of 2 or more in men "
    "should receive oral anticoagulants such as apixaban. Check kidney function before dosing."),
    ("Billing and insurance. Invoices are issued at the end of each consultation. The clinic accepts "
    "the main health insurance plans and bank transfers."),
]
