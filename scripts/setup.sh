#!/usr/bin/env bash
# Installs what the tests need from Debian, idempotently: real DNS servers and clients
# (knot, kdig, dig, dnsmasq), busybox (udhcpc, OpenWrt's shell), iproute2 (network namespaces),
# chromium (the admin pages' browser tests drive /usr/bin/chromium through playwright-core).
# Package scripts are kept from starting distro services (policy-rc.d), as the bench harness does.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin
need=(knot:knotd knot-dnsutils:kdig dnsutils:dig dnsmasq-base:dnsmasq busybox:busybox iproute2:ip procps:ps chromium:chromium)
missing=()
for entry in "${need[@]}"; do command -v "${entry#*:}" >/dev/null || missing+=("${entry%%:*}"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "setup: missing ${missing[*]}; run as root or: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
policy=/usr/sbin/policy-rc.d added=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
