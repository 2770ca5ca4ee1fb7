#!/bin/sh
# Stand-in for /etc/init.d/dnsmasq {restart|stop} in fail-open.test.ts: writes the config
# the way OpenWrt's dnsmasq.init does for the options that matter here (server list,
# noresolv/resolv-file, conf-dir) from the stub uci, then restarts the real dnsmasq.
echo "$1" >>"$SANDBOX/dnsmasq-restarts"
pidfile="$SANDBOX/dnsmasq.pid"
if [ -f "$pidfile" ]; then
	pid="$(cat "$pidfile")"
	kill "$pid" 2>/dev/null
	n=0
	while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	rm -f "$pidfile"
fi
[ "$1" = stop ] && exit 0
conf="$TELEMUTE_VAR_ETC/dnsmasq.conf.cfg01411c"
{
	echo "# auto-generated config file from /etc/config/dhcp"
	echo "port=$DNSMASQ_PORT"
	echo "listen-address=127.0.0.1"
	echo "bind-interfaces"
	echo "no-hosts"
	echo "user=root"
	echo "pid-file=$pidfile"
	echo "log-facility=$SANDBOX/dnsmasq.log"
	echo "cache-size=0"
	echo "address=/ready.example.org/192.0.2.250"
	for s in $(uci -q get 'dhcp.@dnsmasq[0].server'); do echo "server=$s"; done
	if [ "$(uci -q get 'dhcp.@dnsmasq[0].noresolv')" = 1 ]; then
		echo "no-resolv"
	else
		echo "resolv-file=$(uci -q get 'dhcp.@dnsmasq[0].resolvfile')"
	fi
	echo "conf-dir=$CONFDIR"
} >"$conf"
exec /usr/sbin/dnsmasq -C "$conf"
