#!/usr/bin/env bash
# Install the Debian packages the test suite uses when they are missing (needs root or sudo).
# Each line: a command that must exist, and the package that provides it.
set -euo pipefail

need=()
check() { command -v "$1" >/dev/null 2>&1 || [ -e "$1" ] || need+=("$2"); }

# llama-cpp-python (extra `llm`) compiles llama.cpp from source.
check g++ g++
check cmake cmake

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then need+=(postgresql); fi

# Headless browser for the web tests (Playwright drives Debian's chromium; it never downloads one).
check /usr/bin/chromium chromium
# CJK font for Chinese labels in analysis charts and for generated documents and page images
# (found at run time; the tools say so when it is missing).
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)

if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
