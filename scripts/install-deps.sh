#!/usr/bin/env bash
# Installs what payrecon needs on Debian when it is missing: the C libraries it links, the font
# invoices use, pdftotext (tests read invoices with it), and with --test PostgreSQL and the Python test tools. Uses sudo when not root.
set -euo pipefail

apt_packages=(libsqlite3-dev libcurl4-openssl-dev libxlsxwriter-dev libhpdf-dev fonts-dejavu-core poppler-utils pkg-config python3 python3-pip)
# The tests start a PostgreSQL server of their own (the ledger's database source), open a report
# workbook in LibreOffice (headless, converting it to PDF), check jobs/systemd with systemd-analyze, and
# load the buyer's checkout page in headless Chromium.
if [ "${1:-}" = "--test" ]; then apt_packages+=(postgresql libreoffice-calc-nogui systemd chromium); fi
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: not root; using sudo to install: ${missing[*]}" >&2
    sudo="sudo"
  fi
  echo "install-deps: apt-get install ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  # openpyxl reads report.xlsx the way an accountant's tools would; Stripe's own SDK makes reference
  # webhook signatures.
  python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install -q openpyxl
  python3 -c "import stripe" 2>/dev/null || python3 -m pip install -q stripe
  # localstripe emulates Stripe for the payment flow; aiosmtpd is the SMTP sink invoices are mailed to.
  python3 -c "import localstripe" 2>/dev/null || python3 -m pip install -q localstripe
  python3 -c "import aiosmtpd" 2>/dev/null || python3 -m pip install -q aiosmtpd
  # jobs/kubernetes is checked against the Kubernetes API's schemas, which kubernetes-validate carries.
  python3 -c "import kubernetes_validate" 2>/dev/null || python3 -m pip install -q kubernetes-validate
fi
