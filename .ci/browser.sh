#!/usr/bin/env bash
# Install what the browser tests need: Debian's chromium and the playwright Python package.
# Playwright's own browser download is NOT used (tests launch /usr/bin/chromium).
# Meant to be sourced by .ci/run:   source .ci/browser.sh || echo "browser tests will skip"
_marsad_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    (apt-get update -q && apt-get install -y -q chromium) >/dev/null 2>&1 || return 1
  fi
  python3 -c "import playwright" 2>/dev/null || python3 -m pip install -q playwright || return 1
  echo "browser: /usr/bin/chromium"
}
_marsad_browser
