#!/usr/bin/env bash
# Install the Debian packages socialkit needs, when they are missing and we can.
#   poppler-utils  pdftotext/pdftoppm: the tests check the PDF reports with them
#   chromium       headless browser for the dashboard tests (Playwright drives it)
#   fonts-dejavu   fonts with Cyrillic and Latin diacritics for the PDFs
#   libpango       WeasyPrint renders HTML to PDF with Pango
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "DejaVuSans" || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q "libpango-1.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages with sudo: ${need[*]}" >&2
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "socialkit needs these system packages: ${need[*]}" >&2
  echo "Install them as an administrator, e.g.: sudo apt-get install ${need[*]}" >&2
  echo "(PDF reports need Pango and fonts; the tests also need poppler-utils and chromium.)" >&2
  exit 1
fi
