"""Bulk import: progress, batches, resumable by SHA-256, bad files reported and skipped."""

from __future__ import annotations

import pytest

from ancuu_docs.documents.models import Document
from ancuu_docs.extensions import db
from ancuu_docs.search import indexing
from tests import samples


@pytest.fixture
def folder(tmp_path, accounts):
    root = tmp_path / "luu-tru"
    (root / "2024").mkdir(parents=True)
    (root / "NQ-01-quan-ly-dat-dai.docx").write_bytes(
        samples.docx(["Nghị quyết về quản lý đất đai năm 2024."])
    )
    (root / "BC-tong-ket-2024.txt").write_bytes("Báo cáo tổng kết: thu ngân sách 181,55 tỷ đồng.".encode())
    (root / "2024" / "CTr-kiem-tra-giam-sat.odt").write_bytes(
        samples.odt(["Chương trình kiểm tra, giám sát."])
    )
    (root / "2024" / "TB-ket-luan.pdf").write_bytes(samples.pdf(["Thong bao ket luan so 12"]))
    (root / "KH-trien-khai.docx").write_bytes(samples.docx(["Kế hoạch triển khai Chỉ thị 46-CT/TW."]))
    return root


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["import", *map(str, args)])


def test_import_shows_progress_and_files_every_document(app, api, folder):
    result = _run(app, folder, "--user", "secretariat", "--batch", "2")
    assert result.exit_code == 0, result.output
    assert "Nhập tài liệu: 2/5 (40%)" in result.output and "Nhập tài liệu: 5/5 (100%)" in result.output
    assert "Đã nhập 5, bỏ qua 0 (đã có), lỗi 0." in result.output
    docs = {d.title: d for d in db.session.query(Document)}
    assert {d.doc_type for d in docs.values()} == {"NQ", "BC", "CTr", "TB", "KH"}
    assert docs["NQ 01 quan ly dat dai"].status == "draft"
    assert "181,55" in docs["BC tong ket 2024"].current_version.text
    # Indexed: members cannot see drafts, the office finds them.
    hits = api("secretariat", "GET", "/search", query_string={"q": "46-CT/TW"}).json
    assert [h["title"] for h in hits["hits"]] == ["KH trien khai"]


def test_one_index_commit_per_batch(app, folder):
    indexing.ensure_index()
    before = indexing.store().open().latest_generation()
    result = _run(app, folder, "--user", "secretariat", "--batch", "2")
    assert result.exit_code == 0
    assert indexing.store().open().latest_generation() - before == 3  # 5 files in batches of 2
    assert indexing.pending_jobs() == 0


def test_second_run_skips_what_is_already_in(app, folder):
    assert _run(app, folder, "--user", "secretariat").exit_code == 0
    (folder / "NQ-02-moi.txt").write_bytes("Nghị quyết mới về dân vận.".encode())
    result = _run(app, folder, "--user", "secretariat")
    assert result.exit_code == 0
    assert "Đã nhập 1, bỏ qua 5 (đã có), lỗi 0." in result.output
    assert db.session.query(Document).count() == 6


def test_bad_files_are_reported_and_skipped(app, folder):
    (folder / "NQ-hong.docx").write_bytes(samples.docx(["x"])[:300])
    (folder / "BC-gia.pdf").write_bytes(b"not a pdf at all")
    (folder / "anh.exe").write_bytes(b"MZ\x90\x00")
    (folder / "khong-ro-loai.txt").write_bytes("Văn bản không rõ loại.".encode())
    result = _run(app, folder, "--user", "secretariat")
    assert result.exit_code == 1
    assert "Đã nhập 5, bỏ qua 0 (đã có), lỗi 4." in result.output
    assert "✗ NQ-hong.docx: Tệp bị hỏng" in result.output
    assert "✗ BC-gia.pdf: Tệp có đuôi .pdf nhưng nội dung là văn bản thuần" in result.output
    assert "✗ anh.exe: Chỉ nhận các tệp" in result.output
    assert "✗ khong-ro-loai.txt: Không biết loại tài liệu" in result.output
    assert db.session.query(Document).count() == 5


def test_import_as_approved_numbers_documents_and_keeps_their_files(app, folder):
    (folder / "NQ-02-du-thao.docx").write_bytes(samples.party_docx())
    result = _run(app, folder, "--user", "secretariat", "--status", "approved", "--doc-type", "NQ")
    assert result.exit_code == 0, result.output
    docs = db.session.query(Document).all()
    assert sorted(d.number for d in docs) == [f"0{n}-NQ/ĐU" for n in range(1, 7)]
    # The archive's files are the documents as issued: no "Bản ban hành" made from them.
    assert all(len(d.versions) == 1 and d.issue_note is None for d in docs)


def test_clerks_import_drafts_only(app, folder):
    result = _run(app, folder, "--user", "clerk", "--status", "approved")
    assert result.exit_code != 0 and "Chỉ Văn phòng Đảng ủy" in result.output
    assert _run(app, folder, "--user", "member").exit_code != 0
    assert _run(app, folder, "--user", "clerk").exit_code == 0
