#!/usr/bin/env bash
# Installs what the tests need and the npm registry does not provide, from Debian's packages:
# - `prometheus`, the real server test/integration-prometheus/ starts on a loopback port;
# - `postgresql`, whose server the test command starts in a temporary directory on a loopback port
#   (scripts/pg-cluster.mjs) for the shared store's tests;
# - PyYAML for python3, the second strict parser of test/first-contact/ (every shipped YAML file);
# - pytest for python3, run by the plugin test step's pytest tests;
# - `chromium`, the real browser the dashboard's tests drive (test/dashboard/) through playwright-core
#   (CHROMIUM_PATH may name another Chromium-based browser instead, e.g. a hosted runner's Chrome),
#   with `fonts-noto-cjk` so the Korean screenshots are legible (nothing checks for the fonts);
# Idempotent: does nothing when everything is there. Installs what is missing with apt-get when
# running as root on a machine that has apt-get (CI: a fresh Debian 12); otherwise says what is
# missing and how to install it, and exits non-zero, so a run never skips those tests silently.
#
# PLUGINOPS_TEST_DEPS_DRY_RUN=1 prints the commands it would run instead of running them (and
# exits 0 if it would install, 1 if it could not); it exists to test this script.
set -euo pipefail

dry_run=${PLUGINOPS_TEST_DEPS_DRY_RUN:-}

# Each need: a check that succeeds when it is met, and the Debian package that meets it.
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
has_pg() { [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
has_pg || missing+=(postgresql)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
# With Debian's Chromium come CJK fonts, so the Korean pages' screenshots show their text.
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"

run() {
  if [ -n "$dry_run" ]; then
    echo "would run: $*"
  else
    "$@"
  fi
}

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: installing Debian's ${missing[*]}" >&2
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ -z "$dry_run" ]; then
    still=()
    command -v prometheus >/dev/null 2>&1 || still+=("\`prometheus\` is not on PATH (PATH=$PATH)")
    has_pg || still+=("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    python3 -c 'import yaml' >/dev/null 2>&1 || still+=("python3 ($(command -v python3 || echo none)) cannot import yaml")
    python3 -c 'import pytest' >/dev/null 2>&1 || still+=("python3 ($(command -v python3 || echo none)) cannot import pytest")
    [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || still+=("${CHROMIUM_PATH:-/usr/bin/chromium} is missing")
    if [ ${#still[@]} -gt 0 ]; then
      printf 'test-deps: apt-get installed %s, but %s\n' "${missing[*]}" "${still[*]}" >&2
      exit 1
    fi
  fi
  exit 0
fi

reason="this is not root"
[ "$(id -u)" -eq 0 ] && reason="apt-get is not available"
cat >&2 <<MSG
test-deps: the test suite needs ${missing[*]}, and it cannot be installed here ($reason):
- prometheus: the Prometheus integration tests (test/integration-prometheus/) start a real server;
- postgresql: the shared store's tests start a real server (or set PG_BIN to a directory with
  initdb and pg_ctl);
- python3-yaml, python3-pytest: the YAML parse tests and the plugin test step's pytest tests;
- chromium: the dashboard's browser tests (test/dashboard/) drive it at /usr/bin/chromium
  (or wherever CHROMIUM_PATH points: any Chromium-based browser).
Install them, e.g. on Debian or Ubuntu:
    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive $install_cmd
(or put a Prometheus 2.x binary on PATH and \`pip install pyyaml pytest\` for your python3),
then run the tests again.
MSG
exit 1
