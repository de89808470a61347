#!/usr/bin/env bash
# Installs the system packages Assay builds and tests against, when missing (Debian/Ubuntu):
# SQLite headers for GRDB, PostgreSQL's server (the tests start a throw-away cluster), curl for
# health checks, and what pip needs to build llama.cpp;
# libxml2 headers (HTML and office files), poppler's PDF tools and tesseract (OCR) for the readers;
# Chromium and chromium-driver for the workbench's browser tests.
set -euo pipefail
need=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
# scripts/postgres.sh runs Debian's initdb and pg_ctl from /usr/lib/postgresql/VERSION/bin.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v curl >/dev/null 2>&1 || need+=(curl)
dpkg -s libxml2-dev >/dev/null 2>&1 || need+=(libxml2-dev)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
dpkg -s tesseract-ocr-eng >/dev/null 2>&1 || need+=(tesseract-ocr-eng)
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip python3-venv)
# A system-managed python3 (PEP 668) gets a virtual environment for the local model: that needs venv.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then need+=(python3-venv); fi
# Exports: ReadStat's C library writes SPSS/Stata files; its readstat tool, openpyxl (Debian's python3)
# and python3's zipfile read them back in the tests.
dpkg -s libreadstat-dev >/dev/null 2>&1 || need+=(libreadstat-dev)
command -v readstat >/dev/null 2>&1 || need+=(readstat)
dpkg -s python3-openpyxl >/dev/null 2>&1 || need+=(python3-openpyxl)
# scripts/check-deploy.sh parses deploy/'s YAML with PyYAML (Debian's python3, or python3's own).
dpkg -s python3-yaml >/dev/null 2>&1 || need+=(python3-yaml)
# The workbench's browser tests: headless Chromium and its WebDriver (chromedriver), driven from Swift.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "prerequisites: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
