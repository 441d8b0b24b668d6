#!/usr/bin/env bash
# Installs what the integration tests need and the npm registry does not provide: Debian's
# `prometheus` package (the real server test/integration-prometheus/ starts on a loopback port).
# Idempotent: does nothing when `prometheus` is on PATH. Installs it with apt-get when running as
# root on a machine that has apt-get (CI: a fresh Debian 12); otherwise says what is missing and
# how to install it, and exits non-zero, so a run never skips those tests silently.
#
# PLUGINOPS_TEST_DEPS_DRY_RUN=1 prints the commands it would run instead of running them (and
# exits 0 if it would install, 1 if it could not); it exists to test this script.
set -euo pipefail

package=prometheus
dry_run=${PLUGINOPS_TEST_DEPS_DRY_RUN:-}

if command -v prometheus >/dev/null 2>&1; then
  exit 0
fi

install_cmd="apt-get install -y --no-install-recommends $package"

run() {
  if [ -n "$dry_run" ]; then
    echo "would run: $*"
  else
    "$@"
  fi
}

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: \`prometheus\` is not on PATH; installing Debian's $package package" >&2
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package"
  if [ -z "$dry_run" ] && ! command -v prometheus >/dev/null 2>&1; then
    echo "test-deps: apt-get installed $package, but \`prometheus\` is still not on PATH (PATH=$PATH)" >&2
    exit 1
  fi
  exit 0
fi

reason="this is not root"
[ "$(id -u)" -eq 0 ] && reason="apt-get is not available"
cat >&2 <<MSG
test-deps: the Prometheus integration tests (test/integration-prometheus/) need the \`prometheus\`
server on PATH, and it is missing. It cannot be installed here ($reason).
Install it, e.g. on Debian or Ubuntu:
    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive $install_cmd
or put a Prometheus 2.x binary on PATH, then run the tests again.
MSG
exit 1
