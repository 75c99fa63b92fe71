#!/usr/bin/env bash
# Debian packages the checker and its tests use, installed only where missing:
#   chromium               the web page's browser test (playwright drives it)
#   poppler-utils          pdftoppm renders review copies; pdftotext gives the real corpus's reference text
#   libreoffice-writer-nogui  reads legacy .doc / .wps tenders (converted to DOCX, headless)
#   antiword               reads .doc text where LibreOffice is absent
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v antiword >/dev/null 2>&1 || missing+=(antiword)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
