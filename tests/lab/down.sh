#!/usr/bin/env bash
# tests/lab/down.sh — stop exactly the processes tests/lab/up.sh started.
#
#   down.sh               stop the static origin, both wikis, B's job runners and memcached; keep the data
#   down.sh --purge       ... and delete the whole state dir (wikis, DBs, logs, env)
#   down.sh --only NAME   stop one daemon (used by up.sh to clear leftovers)
#
# up.sh starts every daemon with setsid, so run/<name>.pid holds a process-group id; php -S
# forks its workers into that group, so the whole group is signalled. run/<name>.match is the
# command-line fragment up.sh started it with: a group is only signalled while one of its live
# members still matches, so a reused pid is never hit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LAB=${FW_LAB_DIR:-$REPO/build/lab}

group_members() {   # $1=pgid $2=fragment -> pids of live members with that command line
	ps -eo pid=,pgid=,stat=,args= | awk -v g="$1" -v f="$2" '$2 == g && $3 !~ /^Z/ && index($0, f) { print $1 }'
}

stop() {
	local name=$1 pidf="$LAB/run/$1.pid" matchf="$LAB/run/$1.match" pgid frag
	if [ ! -f "$pidf" ]; then
		echo "$name: not running"
		return 0
	fi
	pgid=$(cat "$pidf")
	frag=$(cat "$matchf" 2>/dev/null || true)
	if ! [[ $pgid =~ ^[0-9]+$ ]] || [ -z "$frag" ] || [ -z "$(group_members "$pgid" "$frag")" ]; then
		echo "$name: not running"
		rm -f "$pidf"
		return 0
	fi
	kill -TERM -- "-$pgid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		[ -n "$(group_members "$pgid" "$frag")" ] || break
		sleep 0.1
	done
	if [ -n "$(group_members "$pgid" "$frag")" ]; then
		kill -KILL -- "-$pgid" 2>/dev/null || true
		echo "$name: killed (process group $pgid)"
	else
		echo "$name: stopped (process group $pgid)"
	fi
	rm -f "$pidf"
}

purge() {
	[ -d "$LAB" ] || return 0
	# only a dir up.sh made (it holds .fwlab): FW_LAB_DIR may point anywhere
	if [ ! -f "$LAB/.fwlab" ]; then
		echo "refusing to delete $LAB: not a lab dir (no .fwlab marker)" >&2
		return 1
	fi
	rm -rf "$LAB"
	echo "removed $LAB"
}

main() {
	case "${1:-}" in
	--only)
		stop "${2:?--only needs a name}"
		;;
	"" | --purge)
		local name
		for name in static wiki-a wiki-b jobs-AssembleUploadChunks jobs-PublishStashedFile memcached; do stop "$name"; done
		[ "${1:-}" != --purge ] || purge
		;;
	*)
		echo "usage: $0 [--purge | --only NAME]" >&2
		return 2
		;;
	esac
}

main "$@"
