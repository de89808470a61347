#!/usr/bin/env bash
# Makes the reader test fixtures with the tools a researcher has (Debian: libreoffice-writer-nogui,
# poppler-utils, qpdf, python3). The outputs are committed, so tests and CI need none of this;
# run it again only to change a fixture:  cd Tests/Fixtures/readers && ./make-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# report.pdf: three pages (explicit page breaks), one sentence known to be on each page.
soffice --headless --convert-to pdf --outdir . report.fodt >/dev/null
# notes.docx / notes.odt: a footnote, a comment, a table and tracked changes (a deletion, an insertion).
soffice --headless --convert-to docx --outdir . notes.fodt >/dev/null
soffice --headless --convert-to odt --outdir . notes.fodt >/dev/null
# encrypted.pdf: needs a password to open.
qpdf --encrypt reader-secret owner-secret 256 -- report.pdf encrypted.pdf
# scanned.pdf: the first two pages as pictures only (no text layer), as a scanner makes them.
pdftoppm -r 110 -f 1 -l 2 -png report.pdf "$work/page"
cat >"$work/scan.html" <<HTML
<html><body><p><img src="page-1.png" width="620"></p><p style="page-break-before: always"><img src="page-2.png" width="620"></p></body></html>
HTML
soffice --headless --convert-to pdf:writer_web_pdf_Export --outdir "$work" "$work/scan.html" >/dev/null
cp "$work/scan.pdf" scanned.pdf
# article.html: LibreOffice's own HTML export of the notes (a real tool's markup).
soffice --headless --convert-to html --outdir "$work" notes.odt >/dev/null
cp "$work/notes.html" libreoffice.html
# Broken files: truncated halves, random bytes, and hostile ZIPs (zip-bombs.py).
head -c "$(($(stat -c %s report.pdf) / 2))" report.pdf >truncated.pdf
head -c "$(($(stat -c %s notes.docx) / 2))" notes.docx >truncated.docx
head -c 3000 /dev/urandom >random.pdf
head -c 3000 /dev/urandom >random.docx
python3 zip-bombs.py
# news.html, latin1.html and undeclared-utf8.html are written by hand, as a web page's author
# would (latin1.html's bytes are ISO-8859-1, as it declares); random.html is random bytes.
head -c 3000 /dev/urandom >random.html
