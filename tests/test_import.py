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
    assert "Nhập văn bản: 2/5 (40%)" in result.output and "Nhập văn bản: 5/5 (100%)" in result.output
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
    index = indexing.store().open().searcher._ix  # Whoosh's: it numbers its commits
    before = index.latest_generation()
    result = _run(app, folder, "--user", "secretariat", "--batch", "2")
    assert result.exit_code == 0
    assert index.latest_generation() - before == 3  # 5 files in batches of 2
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
    assert "✗ khong-ro-loai.txt: Không biết loại văn bản" in result.output
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


def test_import_with_a_metadata_file_registers_the_good_rows_and_names_the_bad_lines(app, accounts, tmp_path):
    import csv

    from ancuu_docs.documents.models import Document

    folder = tmp_path / "luu-tru-den"
    folder.mkdir()
    rows = []
    for i in range(1, 46):  # 45 good rows: incoming ones, half with a scan, one secret without
        file = ""
        if i % 2:
            file = f"cv-{i}.pdf"
            (folder / file).write_bytes(samples.pdf([f"Cong van {i}-CV/TU ve cong tac dan van"]))
        rows.append(
            {
                "file": file,
                "origin": "incoming",
                "issuer": "Thành ủy Huế",
                "number": f"{i}-CV/TU",
                "issue_date": "2025-03-01",
                "received_date": "2025-03-05",
                "doc_type": "CV",
                "title": f"Công văn số {i} về công tác dân vận",
                "security_level": "mat" if i == 44 else "none",
            }
        )
    assert rows[43]["file"] == ""  # the secret one (44): metadata only
    rows.append({**rows[0], "number": "", "file": ""})  # line 47: no number
    rows.append({**rows[1], "number": "99-CV/TU", "issue_date": "01/03/2025"})  # line 48: bad date
    rows.append({**rows[2], "number": "98-CV/TU", "file": "khong-co.pdf"})  # line 49: no such file
    rows.append({**rows[3], "number": "97-CV/TU", "doc_type": "XYZ"})  # line 50: unknown type
    rows.append({**rows[4], "number": "96-CV/TU", "file": "../ngoai.pdf"})  # line 51: outside the folder
    metadata = tmp_path / "danh-muc.csv"
    with metadata.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert len(rows) == 50

    result = _run(app, folder, "--user", "secretariat", "--metadata", metadata)
    assert result.exit_code == 1, result.output
    assert "Đăng ký văn bản: 50/50 (100%)" in result.output
    assert "Đã nhập 45, bỏ qua 0 (đã có), lỗi 5." in result.output
    for line, reason in (
        (47, "Cần nhập số, ký hiệu."),
        (48, "Ngày ban hành không hợp lệ"),
        (49, "Không có tệp «khong-co.pdf» trong thư mục nhập."),
        (50, "Loại văn bản «XYZ» không hợp lệ."),
        (51, "Không có tệp «../ngoai.pdf» trong thư mục nhập."),
    ):
        said = [text for text in result.output.splitlines() if text.startswith(f"  ✗ dòng {line}:")]
        assert len(said) == 1 and reason in said[0], (line, said)
    db.session.rollback()
    docs = db.session.query(Document).filter_by(origin="incoming").all()
    assert len(docs) == 45
    # 44 in the general book's series, the secret one first in the secret book's.
    assert sorted(d.arrival_number for d in docs if not d.arrival_secret) == list(range(1, 45))
    assert [d.arrival_number for d in docs if d.arrival_secret] == [1]
    assert sum(1 for d in docs if d.versions) == 23  # the odd rows came with a scan
    assert next(d for d in docs if d.number == "44-CV/TU").security_level == "mat"
    # Again: the registered rows are skipped, the bad ones reported again.
    again = _run(app, folder, "--user", "secretariat", "--metadata", metadata)
    assert "Đã nhập 0, bỏ qua 45 (đã có), lỗi 5." in again.output


def test_import_fills_a_rows_empty_columns_from_the_files_header(app, accounts, tmp_path):
    from ancuu_docs.documents.models import Document
    from tests.test_detect import PARTY

    folder = tmp_path / "cu"
    folder.mkdir()
    (folder / "nq-05.docx").write_bytes(samples.docx(PARTY.splitlines()))
    metadata = tmp_path / "danh-muc.csv"
    metadata.write_text("file,origin,term\nnq-05.docx,internal,2025-2030\n", encoding="utf-8")
    result = _run(app, folder, "--user", "secretariat", "--metadata", metadata)
    assert result.exit_code == 0, result.output
    db.session.rollback()
    doc = db.session.query(Document).one()
    assert (doc.number, doc.doc_type, doc.issue_date.isoformat()) == ("05-NQ/ĐU", "NQ", "2025-11-05")
    assert doc.title == "về xây dựng lối sống đô thị văn minh, giai đoạn 2025 - 2030"


def test_a_large_import_leaves_the_index_merged(app, folder):
    """Each batch commits a segment; once the import ends they are merged into one (Whoosh:
    tantivy merges on its own, by its log merge policy)."""
    app.config["INDEX_MERGE_AFTER_IMPORT"] = 5
    indexing.ensure_index()
    result = _run(app, folder, "--user", "secretariat", "--batch", "1")
    assert result.exit_code == 0
    assert indexing.store().open().segment_count() == 1
    assert indexing.check().ok


def test_with_a_worker_running_the_merge_is_left_to_it(app, api, folder):
    """No request waits behind a merge: the import asks, the worker merges on its next round."""
    app.config["INDEX_MERGE_AFTER_IMPORT"] = 5
    for title in ("Kế hoạch tổ chức Tết Trung thu", "Kế hoạch phòng chống lụt bão"):
        api.upload("secretariat", title=title, doc_type="KH")  # each change: a segment of its own
    assert indexing.store().open().segment_count() >= 2
    indexing.beat()  # a worker is alive: it indexes and merges
    result = _run(app, folder, "--user", "secretariat", "--batch", "1")
    assert result.exit_code == 0
    wanted = indexing.index_folder() / indexing.MERGE_WANTED
    assert wanted.exists() and indexing.pending_jobs() == 5
    indexing.worker_step(verify=False)
    assert not wanted.exists() and indexing.pending_jobs() == 0
    assert indexing.store().open().segment_count() == 1
    assert indexing.check().ok


def test_links_in_the_folder_are_never_followed(app, folder, tmp_path):
    """A link to a server file, a linked folder, a metadata row naming a link: none is read."""
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "bi-mat.txt").write_text("Nội dung ngoài thư mục nhập.", encoding="utf-8")
    (folder / "hostname.txt").symlink_to("/etc/hostname")
    (folder / "ngoai.txt").symlink_to(outside / "bi-mat.txt")
    (folder / "thu-muc-ngoai").symlink_to(outside, target_is_directory=True)
    result = _run(app, folder, "--user", "secretariat")
    assert result.exit_code == 0, result.output
    db.session.rollback()
    titles = {d.title for d in db.session.query(Document)}
    assert len(titles) == 5 and not any("hostname" in t or "ngoai" in t or "bi mat" in t for t in titles)

    metadata = tmp_path / "danh-muc.csv"
    metadata.write_text(
        "file,origin,issuer,number,issue_date,received_date,doc_type,title\n"
        "ngoai.txt,incoming,Thành ủy Huế,5-CV/TU,2025-03-01,2025-03-05,CV,Công văn\n"
        "thu-muc-ngoai/bi-mat.txt,incoming,Thành ủy Huế,6-CV/TU,2025-03-01,2025-03-05,CV,Công văn\n",
        encoding="utf-8",
    )
    result = _run(app, folder, "--user", "secretariat", "--metadata", metadata)
    assert "Đã nhập 0, bỏ qua 0 (đã có), lỗi 2." in result.output
    assert "Không có tệp «ngoai.txt» trong thư mục nhập." in result.output
