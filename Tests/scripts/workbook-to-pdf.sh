#!/usr/bin/env bash
# Opens a report workbook in headless LibreOffice and converts it to PDF, as a check that an office suite
# other than Excel reads every sheet and prints it (landscape, one page wide). Not in `make test`:
# LibreOffice is a 300 MB install (apt-get install libreoffice-calc-nogui). Exit 0 and the PDF's page
# count on success.
#   Tests/scripts/workbook-to-pdf.sh REPORT.xlsx [OUT_DIR]
set -euo pipefail
workbook=$1
out=${2:-$(mktemp -d)}
command -v soffice >/dev/null || { echo "workbook-to-pdf: LibreOffice is not installed (apt-get install libreoffice-calc-nogui)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation=file://"$profile" --headless --convert-to pdf --outdir "$out" "$workbook" >/dev/null 2>&1
pdf="$out/$(basename "${workbook%.*}").pdf"
[ -s "$pdf" ] || { echo "workbook-to-pdf: LibreOffice wrote no PDF for $workbook" >&2; exit 1; }
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
echo "$pdf: $pages pages"
