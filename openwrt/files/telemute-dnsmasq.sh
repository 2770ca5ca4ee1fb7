#!/bin/sh
# telemute-dnsmasq.sh: point dnsmasq at telemute, and give it back.
#
#   apply ADDR     dnsmasq forwards everything to ADDR (dnsmasq syntax, 127.0.0.1#5335)
#   restore        undo apply: dnsmasq resolves as it did before telemute
#   start          arm the watchdog (init script start_service)
#   stop [--no-restart]   disarm the watchdog, then restore (init script stop_service)
#   check ADDR     one watchdog step: apply while telemute listens, restore while it does not
#   watch ADDR     check every TELEMUTE_WATCH_INTERVAL seconds (procd instance)
#   status         print "applied" or "restored"
#
# Why a watchdog and not a second server= line: with --add-subnet (and --add-mac
# once the client's MAC is known) dnsmasq 2.90 marks the query FREC_NO_CACHE and
# FREC_HAS_EXTRADATA, and then neither retries another server on SERVFAIL/REFUSED
# nor recognises a client's retry (forward.c forward_query/reply_query). Measured
# in test/openwrt/fail-open.test.ts. Without those options dnsmasq's default
# server choice races all servers and keeps the fastest, which is the direct
# upstream, so blocking would be bypassed. See docs/openwrt.md.
#
# What apply changes:
#  - RAM: <dnsmasq conf-dir>/telemute.conf (no-resolv, server=ADDR, add-mac,
#    add-subnet=32,128, strip-mac, strip-subnet). A reboot, a crash or a removed package leaves
#    no trace. strip-*: without them dnsmasq keeps a MAC/ECS option the client put in its own
#    query and adds none (edns0.c add_pseudoheader, replace=0), so any device could pose as another.
#  - flash, only if dhcp.@dnsmasq[0] lists plain upstream servers (no /domain/):
#    the whole server list is saved to $STATE_DIR/dnsmasq-servers and only the
#    /domain/ entries stay, since any plain server would race telemute.
# Runs under busybox ash; POSIX sh only.

set -u

SECTION='dhcp.@dnsmasq[0]'
DNSMASQ_INIT="${TELEMUTE_DNSMASQ_INIT:-/etc/init.d/dnsmasq}"
STATE_DIR="${TELEMUTE_STATE_DIR:-/etc/telemute}"
RUN_DIR="${TELEMUTE_RUN_DIR:-/var/run/telemute}"
VAR_ETC="${TELEMUTE_VAR_ETC:-/var/etc}"
PROC_NET="${TELEMUTE_PROC_NET:-/proc/net}"
INTERVAL="${TELEMUTE_WATCH_INTERVAL:-2}"
# Two failed probes (about 4 s) before failing open; two good ones before
# taking over again, so a respawning telemute does not flap dnsmasq.
FAIL_AFTER="${TELEMUTE_FAIL_AFTER:-2}"
OK_AFTER="${TELEMUTE_OK_AFTER:-2}"
BACKUP="$STATE_DIR/dnsmasq-servers"
CONF_NAME=telemute.conf
NL='
'

log() {
	if command -v logger >/dev/null 2>&1; then
		logger -t telemute "$*"
	else
		echo "telemute: $*" >&2
	fi
}

# Serialises the watchdog against stop: without it the watchdog could re-apply
# between stop's restore and procd killing it.
lock() {
	mkdir -p "$RUN_DIR"
	local n=0
	while ! mkdir "$RUN_DIR/lock" 2>/dev/null; do
		local holder
		holder="$(cat "$RUN_DIR/lock/pid" 2>/dev/null)"
		if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
			rm -rf "$RUN_DIR/lock"
			continue
		fi
		n=$((n + 1))
		[ "$n" -gt 30 ] && { log "dnsmasq helper: lock held by $holder, going on"; return 0; }
		sleep 1
	done
	echo $$ >"$RUN_DIR/lock/pid"
}

unlock() { rm -rf "$RUN_DIR/lock"; }

section_name() {
	uci -q show "$SECTION" | sed -n '1s/^dhcp\.\([^.=]*\)=dnsmasq$/\1/p'
}

# The conf-dir dnsmasq really reads: the generated /var/etc/dnsmasq.conf.<section>
# says it on every release (23.05: /tmp/dnsmasq.d; 24.10+: one per instance).
confdir() {
	local sec dir=""
	sec="$(section_name)"
	if [ -n "$sec" ] && [ -r "$VAR_ETC/dnsmasq.conf.$sec" ]; then
		dir="$(sed -n 's/^conf-dir=//p' "$VAR_ETC/dnsmasq.conf.$sec" | head -n 1)"
	fi
	[ -n "$dir" ] || dir="$(uci -q get "$SECTION.confdir")"
	[ -n "$dir" ] || dir=/tmp/dnsmasq.d
	echo "${dir%%,*}"
}

conf_text() {
	printf '%s\n' \
		"# Written by /etc/init.d/telemute; removed when telemute stops." \
		"no-resolv" \
		"server=$1" \
		"add-mac" \
		"add-subnet=32,128" \
		"strip-mac" \
		"strip-subnet"
}

servers() { uci -q get "$SECTION.server"; }

set_servers() {
	uci -q delete "$SECTION.server"
	local s
	for s in "$@"; do uci add_list "$SECTION.server=$s"; done
}

is_plain() { case "$1" in /*) return 1 ;; *) return 0 ;; esac; }

# Moves plain upstream servers out of dnsmasq's list into $BACKUP (flash).
# Returns 0 if it changed the dhcp config.
park_plain_servers() {
	local cur s keep="" plain=0
	cur="$(servers)"
	for s in $cur; do is_plain "$s" && plain=1; done
	[ "$plain" -eq 1 ] || return 1
	mkdir -p "$STATE_DIR"
	if [ -f "$BACKUP" ]; then
		# Applied already and the admin added a plain server since: park it too.
		for s in $cur; do is_plain "$s" && echo "$s" >>"$BACKUP"; done
	else
		printf '%s\n' $cur >"$BACKUP.tmp" && mv "$BACKUP.tmp" "$BACKUP"
	fi
	for s in $cur; do is_plain "$s" || keep="$keep $s"; done
	# shellcheck disable=SC2086
	set_servers $keep
	uci commit dhcp
	log "moved plain dnsmasq servers to $BACKUP (restored on stop)"
	return 0
}

# Puts the saved list back in its order, then anything the admin added while
# telemute ran. Returns 0 if it changed the dhcp config.
unpark_servers() {
	[ -f "$BACKUP" ] || return 1
	local cur s list="" saved
	cur="$(servers)"
	saved="$(cat "$BACKUP")"
	for s in $saved; do list="$list$NL$s"; done
	for s in $cur; do
		case "$NL$saved$NL" in *"$NL$s$NL"*) ;; *) list="$list$NL$s" ;; esac
	done
	# shellcheck disable=SC2086
	set_servers $list
	uci commit dhcp
	rm -f "$BACKUP"
	return 0
}

restart_dnsmasq() {
	[ "${1:-}" = --no-restart ] && return 0
	"$DNSMASQ_INIT" restart >/dev/null 2>&1 || log "dnsmasq restart failed"
}

do_apply() {
	local addr="$1" changed=0 dir file
	park_plain_servers && changed=1
	dir="$(confdir)"
	file="$dir/$CONF_NAME"
	if [ "$(cat "$file" 2>/dev/null)" != "$(conf_text "$addr")" ]; then
		mkdir -p "$dir"
		conf_text "$addr" >"$file.tmp" && mv "$file.tmp" "$file"
		changed=1
	fi
	if [ "$changed" -eq 1 ]; then
		restart_dnsmasq
		log "dnsmasq forwards to telemute at $addr"
	fi
}

do_restore() {
	local changed=0 file
	file="$(confdir)/$CONF_NAME"
	if [ -f "$file" ]; then rm -f "$file"; changed=1; fi
	unpark_servers && changed=1
	if [ "$changed" -eq 1 ]; then
		restart_dnsmasq "${1:-}"
		log "dnsmasq resolves without telemute"
	fi
}

is_applied() { [ -f "$(confdir)/$CONF_NAME" ] || [ -f "$BACKUP" ]; }

hex_port() { printf '%04X' "$1"; }

# Is anything bound to ADDR's UDP port? /proc/net/udp prints the local address
# as the in-memory u32 (byte-swapped on little-endian) and the port big-endian.
# IPv6 and wildcard binds match on the port alone.
listening() {
	local addr="$1" ip port hp a b c d le be
	ip="${addr%#*}"
	port="${addr##*#}"
	hp="$(hex_port "$port")"
	case "$ip" in
	*:*)
		grep -qiE "^ *[0-9]+: [0-9A-F]{32}:$hp " "$PROC_NET/udp6" 2>/dev/null
		return
		;;
	esac
	local IFS=.
	# shellcheck disable=SC2086
	set -- $ip
	IFS=' '
	a=$1 b=$2 c=$3 d=$4
	le="$(printf '%02X%02X%02X%02X' "$d" "$c" "$b" "$a")"
	be="$(printf '%02X%02X%02X%02X' "$a" "$b" "$c" "$d")"
	grep -qiE "^ *[0-9]+: ($le|$be|00000000):$hp " "$PROC_NET/udp" 2>/dev/null ||
		grep -qiE "^ *[0-9]+: 0{32}:$hp " "$PROC_NET/udp6" 2>/dev/null
}

count() {
	local f="$RUN_DIR/$1" n
	n="$(cat "$f" 2>/dev/null || echo 0)"
	n=$((n + 1))
	echo "$n" >"$f"
	echo "$n"
}

do_check() {
	local addr="$1" n
	lock
	if [ -f "$RUN_DIR/stopped" ]; then unlock; return 0; fi
	if listening "$addr"; then
		echo 0 >"$RUN_DIR/fails"
		n="$(count oks)"
		[ "$n" -ge "$OK_AFTER" ] && do_apply "$addr"
	else
		echo 0 >"$RUN_DIR/oks"
		n="$(count fails)"
		if [ "$n" -ge "$FAIL_AFTER" ] && is_applied; then
			log "telemute is not listening on $addr: failing open"
			do_restore
		fi
	fi
	unlock
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
apply)
	[ -n "${1:-}" ] || { echo "usage: $0 apply ADDR#PORT" >&2; exit 2; }
	lock; do_apply "$1"; unlock ;;
restore)
	lock; do_restore "${1:-}"; unlock ;;
start)
	mkdir -p "$RUN_DIR"
	rm -f "$RUN_DIR/stopped" "$RUN_DIR/oks" "$RUN_DIR/fails" ;;
stop)
	lock; touch "$RUN_DIR/stopped"; do_restore "${1:-}"; unlock ;;
check)
	[ -n "${1:-}" ] || { echo "usage: $0 check ADDR#PORT" >&2; exit 2; }
	do_check "$1" ;;
watch)
	[ -n "${1:-}" ] || { echo "usage: $0 watch ADDR#PORT" >&2; exit 2; }
	trap 'exit 0' TERM INT
	while :; do
		do_check "$1"
		sleep "$INTERVAL"
	done ;;
status)
	if is_applied; then echo applied; else echo restored; fi ;;
*)
	echo "usage: $0 apply ADDR#PORT|restore|start|stop [--no-restart]|check ADDR#PORT|watch ADDR#PORT|status" >&2
	exit 2 ;;
esac
