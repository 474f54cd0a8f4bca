#!/usr/bin/env bash
# Interop suite (issue 7): real BIND, Unbound, Prosody, ejabberd and nginx on
# loopback, compared against xmpp-check. Usage: npm run test:interop
#
#  1. installs the Debian packages it needs when they are missing;
#  2. builds (tsc; errors in other people's files do not stop the emit);
#  3. re-runs itself in private network + mount + PID namespaces: only `lo`
#     exists, so no packet can leave the machine, /etc/resolv.conf names only
#     the lab resolver, and when the suite ends the kernel kills anything left
#     in the PID namespace (the suite itself stops each PID it started first);
#  4. runs the node:test suites in dist/fixtures/interop/: suite.js (the servers)
#     and identity-suite.js (the identity corpus against Prosody's util.x509).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

# Without the packages the suite cannot run: a failure in CI (a skipped interop
# suite must not pass there), one clear message and a skip locally.
no_packages() {
  if [[ ${CI:-} == true ]]; then
    echo "interop: FAIL: $1" >&2
    exit 1
  fi
  echo "interop: SKIPPED: $1" >&2
  exit 0
}

if [[ "${XMPP_CHECK_INTEROP_INNER:-}" != 1 ]]; then
  t0=$(date +%s)
  PKGS=(prosody lua-unbound ejabberd erlang-base bind9 bind9-utils bind9-dnsutils unbound nginx-light openssl curl iproute2 util-linux)
  BINS=(prosody erl named dnssec-signzone delv dig unbound nginx openssl curl ip unshare)
  missing=()
  for b in "${BINS[@]}"; do command -v "$b" >/dev/null 2>&1 || missing+=("$b"); done
  if ! dpkg -s lua-unbound >/dev/null 2>&1; then missing+=(lua-unbound); fi
  if ((${#missing[@]})); then
    echo "interop: installing Debian packages (missing: ${missing[*]})"
    if [[ $(id -u) != 0 ]]; then
      no_packages "missing ${missing[*]} and not root; as root: apt-get install -y ${PKGS[*]}"
    fi
    # Keep the packages' own services from starting at install time.
    created_policy=
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
    fi
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${PKGS[@]}" >/tmp/xmpp-check-interop-apt.log 2>&1; }; then
      [[ -n $created_policy ]] && rm -f /usr/sbin/policy-rc.d
      no_packages "could not install ${PKGS[*]} (log: /tmp/xmpp-check-interop-apt.log)"
    fi
    [[ -n $created_policy ]] && rm -f /usr/sbin/policy-rc.d
  fi
  echo "interop: packages ready ($(($(date +%s) - t0)) s)"

  npx tsc -p . >/tmp/xmpp-check-interop-tsc.log 2>&1 || echo "interop: tsc reported errors (see /tmp/xmpp-check-interop-tsc.log); running with what it emitted"
  [[ -f dist/fixtures/interop/suite.js ]] || { echo "interop: FAIL: dist/fixtures/interop/suite.js was not built" >&2; exit 1; }

  if ! unshare --net --mount --pid --fork --kill-child true 2>/dev/null; then
    echo "interop: FAIL: cannot create private namespaces (unshare needs root / CAP_SYS_ADMIN); refusing to run daemons on the shared network" >&2
    exit 1
  fi
  echo "interop: entering private net+mount+pid namespace"
  set +e
  XMPP_CHECK_INTEROP_INNER=1 unshare --net --mount --pid --fork --kill-child --mount-proc "$0" "$@"
  rc=$?
  echo "interop: done in $(($(date +%s) - t0)) s, exit $rc"
  exit $rc
fi

# ---- inside the namespaces ----
ip link set lo up
# Lab addresses (see fixtures/interop/lab.ts ADDR); named only listens on configured addresses.
for a in 127.0.0.2 127.0.1.1 127.0.2.1 127.0.3.1; do ip addr add "$a/32" dev lo; done
LAB=$(mktemp -d /tmp/xmpp-check-interop.XXXXXX)
export XMPP_CHECK_INTEROP_DIR=$LAB
# Anything that reads /etc/resolv.conf reaches only the lab's Unbound.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$LAB/resolv.conf"
mount --bind "$LAB/resolv.conf" /etc/resolv.conf
# Names resolve through DNS only, never through a stale /etc/hosts entry.
printf '127.0.0.1 localhost\n::1 localhost\n' >"$LAB/hosts"
mount --bind "$LAB/hosts" /etc/hosts

cleanup() {
  # The suite stops its own daemons; this catches any it could not (crash).
  if [[ -f $LAB/lab/pids ]]; then
    while read -r pid name; do
      if kill -0 "$pid" 2>/dev/null; then echo "interop: stopping leftover $name ($pid)"; kill "$pid" 2>/dev/null || true; fi
    done <"$LAB/lab/pids"
  fi
  if [[ -z ${XMPP_CHECK_INTEROP_KEEP:-} ]]; then rm -rf "$LAB"; else echo "interop: lab kept in $LAB"; fi
}
trap cleanup EXIT

# Each suite file runs as a script of its own (node runs the node:test tests of
# the one file it is given); a failure of either fails the run.
rc=0
node --test-reporter=spec dist/fixtures/interop/suite.js || rc=$?
node --test-reporter=spec dist/fixtures/interop/identity-suite.js || rc=$?
exit $rc
