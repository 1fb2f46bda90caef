#!/usr/bin/env bash
# Install the Debian/Ubuntu packages socialkit needs beyond Python, when they are missing.
# Each one and why:
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint lays out the PDF reports with Pango
#   fonts-dejavu-core                 a font with Cyrillic, Latin diacritics and Greek, embedded in PDFs
#   poppler-utils                     pdftotext/pdftoppm/pdfimages: the tests read the PDF reports
#   chromium                          the headless browser the dashboard tests drive (Playwright)
#   libatomic1                        needed by the Node.js runtime inside Playwright's wheel
#   postgresql                        a real PostgreSQL server for the SQL-source tests (the tests
#                                     start a private throw-away cluster; nothing listens on a port)
# Only what is missing is installed, and the list is printed first. Runs apt-get as root, with
# sudo when that needs no password, and otherwise prints the command for an administrator.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils chromium libatomic1
          postgresql)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || missing+=("$p")
  done
else
  # Not a Debian-like system: look for what the packages provide instead.
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "DejaVuSans" || missing+=(fonts-dejavu-core)
  ldconfig -p 2>/dev/null | grep -q "libpango-1.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  ldconfig -p 2>/dev/null | grep -q "libatomic.so.1" || missing+=(libatomic1)
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
    || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "socialkit needs (Debian names): ${missing[*]}; install their equivalents." >&2
    exit 1
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

apt_install() {
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}" >&2
  apt_install
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages with sudo: ${missing[*]}" >&2
  apt_install sudo
else
  echo "socialkit needs these system packages: ${missing[*]}" >&2
  echo "Install them as an administrator: sudo apt-get install ${missing[*]}" >&2
  echo "(PDF reports need Pango and fonts; the tests also need poppler-utils, chromium," >&2
  echo " libatomic1 for Playwright, and postgresql for the database tests.)" >&2
  exit 1
fi
