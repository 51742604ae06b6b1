#!/usr/bin/env bash
# The Debian packages the application (`run`) or the test suite (`test`) needs, installed when
# missing: by apt-get when this is root on a Debian machine, otherwise named, with the command
# to install them. `make run`, `make serve`, `make test` and .ci/run all come through here.
set -euo pipefail
what="${1:-run}"

missing=()
# Scans and photos are read by OCRmyPDF with Tesseract's Vietnamese model.
command -v ocrmypdf >/dev/null || missing+=(ocrmypdf)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; } || missing+=(tesseract-ocr-vie)
# Liberation Serif stands in for Times New Roman (same metrics) in the printed registers and
# when LibreOffice lays out pages.
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation2)

if [ "$what" = test ]; then
  # Generated documents are opened in a real office suite and their PDF read back.
  command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  # The suite runs a second time on PostgreSQL, in a throwaway cluster (tests/postgres.py).
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v pg_dump >/dev/null || missing+=(postgresql-client)
  # The browser journeys drive Debian's Chromium; axe-core comes from the npm registry.
  command -v chromium >/dev/null || missing+=(chromium)
  command -v npm >/dev/null || missing+=(npm)
fi

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
elif [ "$what" = test ]; then
  echo "Thiếu gói Debian cho bộ kiểm thử: ${missing[*]}" >&2
  echo "Cài bằng: sudo apt-get install ${missing[*]} (hoặc chạy make test với quyền root)." >&2
  exit 1
else
  echo "Thiếu gói:${missing[*]/#/ } (cài bằng apt-get để nhận dạng chữ bản quét và in sổ ra PDF)."
fi
