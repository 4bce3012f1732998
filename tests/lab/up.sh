#!/usr/bin/env bash
# tests/lab/up.sh — bring up the real-wiki test lab. Idempotent: a second run only checks.
#
#   static origin  http://127.0.0.1:8200/   the repository root (demo/, tests/browser/, js/dist/)
#   wiki A "local" http://127.0.0.1:8201/w/ db awiki, CORS for the static origin
#   wiki B         http://127.0.0.2:8202/w/ db bwiki, CORS for the static origin and wiki A
#   CentralAuth    shared SQLite central DB + memcached 127.0.0.1:11311, global accounts on A and B
#   Extension:OAuth central wiki A (consumers in awiki's DB), OAuth 1.0a + OAuth 2 on A and B
#
# Both wikis run from one MediaWiki tree (Debian's, or FW_LAB_MW) under `php -S`; each docroot has
# `w -> <MediaWiki>` and the wiki is chosen by the MW_CONFIG_FILE of its server process.
# State (wikis, DBs, logs, pid files, env) lives in FW_LAB_DIR (default <repo>/build/lab).
# Stop with tests/lab/down.sh; see tests/lab/README.md.
#
# Env: FW_LAB_DIR, FW_LAB_MW (another MediaWiki tree), FW_CENTRALAUTH_TARBALL (CentralAuth source;
#      without it the wikis come up without CentralAuth, or fail under CI=true), FW_OAUTH_TARBALL
#      (Extension:OAuth with its vendor/; needs CentralAuth; without it FW_LAB_OAUTH=0, or fail under CI=true).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LAB=${FW_LAB_DIR:-$REPO/build/lab}
MW=${FW_LAB_MW:-/usr/share/mediawiki}
TARBALL=${FW_CENTRALAUTH_TARBALL:-$REPO/../shared/vendor/CentralAuth-REL1_39.tar.gz}
OAUTH_TARBALL=${FW_OAUTH_TARBALL:-$REPO/../shared/vendor/OAuth-REL1_39-with-deps.tar.gz}

HOST_S=127.0.0.1 PORT_S=8200
HOST_A=127.0.0.1 PORT_A=8201
HOST_B=127.0.0.2 PORT_B=8202   # another host, so the browser treats B's cookies as third-party
MEMC_HOST=127.0.0.1 MEMC_PORT=11311
WORKERS=4

ADMIN_USER=Admin ADMIN_PASS=fwlab-Admin-pass-1
TESTER_USER=Tester TESTER_PASS=fwlab-Tester-pass-1
BONLY_USER=Bonly BONLY_PASS=fwlab-Bonly-pass-1
BOT_APP=fwlab BOT_PASS=fwlabbotpassword0123456789abcdef   # Tester@fwlab on B: MediaWiki takes [0-9a-w]{32,} as a bot password
DEPLOY_APP=deploy DEPLOY_PASS=fwlabdeploadmin0123456789abcdefab   # Admin@deploy on A: deploy-gadget (js/bin)

T_START=${EPOCHREALTIME/./}

# ------------------------------------------------------------------ helpers
log() { printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usecs_to_s() { printf '%d.%02d' $(($1 / 1000000)) $(($1 % 1000000 / 10000)); }

# timed LABEL CMD...: run CMD, record its duration in logs/steps.log and print it
timed() {
	local label=$1 t0=${EPOCHREALTIME/./} d
	shift
	"$@"
	d=$(usecs_to_s $((${EPOCHREALTIME/./} - t0)))
	printf '%(%Y-%m-%dT%H:%M:%S)T\t%ss\t%s\n' -1 "$d" "$label" >>"$LAB/logs/steps.log"
	log "$label (${d}s)"
}

# maintenance scripts: $1 = wiki id (a|b); the wiki is chosen by MW_CONFIG_FILE
mwmaint() {
	local id=$1 script=$2
	shift 2
	(cd "$MW" && MW_CONFIG_FILE="$LAB/$id/LocalSettings.php" php "maintenance/$script" "$@")
}
# CentralAuth lives outside $IP/extensions, so its scripts need MW_INSTALL_PATH
camaint() {
	local id=$1 script=$2
	shift 2
	(cd "$MW" && MW_INSTALL_PATH="$MW" MW_CONFIG_FILE="$LAB/$id/LocalSettings.php" php "$CA/maintenance/$script" "$@")
}
# run "$@" with output to log file $1; on failure show its tail and stop
logged() {
	local logf=$1
	shift
	"$@" >>"$logf" 2>&1 || { tail -n 25 "$logf" >&2; die "failed: $* (log: $logf)"; }
}

# ------------------------------------------------------------------ 1. packages
apt_as_root() {
	if [ "$(id -u)" = 0 ]; then
		env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
	else
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
	fi
}

install_packages() {
	local aptlog="$LAB/logs/apt.log" policy=0
	log "installing: $*"
	# `mediawiki` pulls in apache2 and memcached has a service: keep postinst from starting daemons
	if [ "$(id -u)" = 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy=1
	fi
	# another apt may be running (e.g. a provisioning job): wait for it rather than fail;
	# DPkg::Lock::Timeout covers the dpkg lock, this also covers the lists lock of `update`
	if command -v fuser >/dev/null; then
		while fuser /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock >/dev/null 2>&1; do sleep 2; done
	fi
	local rc=0
	# lists may be stale or absent (fresh container): update once, then install
	apt_as_root -q update >>"$aptlog" 2>&1 &&
		apt_as_root install -y -q --no-install-recommends "$@" >>"$aptlog" 2>&1 || rc=$?
	[ $policy = 0 ] || rm -f /usr/sbin/policy-rc.d
	[ $rc = 0 ] || { tail -n 25 "$aptlog" >&2; die "apt-get failed (log: $aptlog)"; }
}

ensure_packages() {
	local pkgs=(php-cli php-sqlite3 php-intl php-mbstring php-xml php-apcu memcached curl jq)
	[ -n "${FW_LAB_MW:-}" ] || pkgs=(mediawiki "${pkgs[@]}")
	if ! command -v dpkg-query >/dev/null; then
		log "no dpkg: not installing packages; make sure php, memcached, curl and jq are present"
		return 0
	fi
	local installed missing=() p
	installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${pkgs[@]}" 2>/dev/null || true) "
	for p in "${pkgs[@]}"; do
		[[ $installed == *" $p=installed "* ]] || missing+=("$p")
	done
	if ((${#missing[@]})); then
		timed "apt-get install ${missing[*]}" install_packages "${missing[@]}"
	fi
}

# ------------------------------------------------------------------ 2. CentralAuth source
CA="$LAB/src/CentralAuth"
CA_ON=0

unpack_extension() {   # NAME TARBALL FILE...
	local name=$1 tarball=$2 f
	shift 2
	rm -rf "$LAB/src/tmp" "${LAB:?}/src/$name" && mkdir -p "$LAB/src/tmp"
	tar -xzf "$tarball" -C "$LAB/src/tmp"
	for f in "$@"; do [ -f "$LAB/src/tmp/$name/$f" ] || die "$tarball has no $name/$f"; done
	mv "$LAB/src/tmp/$name" "$LAB/src/$name" && rmdir "$LAB/src/tmp"
}

# extract_extension NAME TARBALL FILE...: unpack NAME/ from TARBALL to $LAB/src/NAME (each FILE must be in it),
# again only when the tarball's sha256 changed (kept in state/<name>.sha256)
extract_extension() {
	local name=$1 tarball=$2 sum
	sum=$(sha256sum <"$tarball")
	sum=${sum%% *}
	[ -f "$LAB/src/$name/$3" ] && [ "$(cat "$LAB/state/${name,,}.sha256" 2>/dev/null)" = "$sum" ] && return 0
	timed "extract $name from $tarball" unpack_extension "$@"
	echo "$sum" >"$LAB/state/${name,,}.sha256"
}

resolve_centralauth() {
	if [ "${FW_LAB_WITHOUT_CENTRALAUTH:-0}" = 1 ]; then
		log "a lab without CentralAuth, as asked (FW_LAB_WITHOUT_CENTRALAUTH=1): cookie mode on wiki pages"
		return 0
	fi
	if [ ! -f "$TARBALL" ]; then
		[ "${CI:-}" != true ] || die "CentralAuth tarball not found: $TARBALL (required under CI=true)"
		log "################################################################################"
		log "WARNING: CentralAuth tarball not found: $TARBALL"
		log "WARNING: the wikis come up WITHOUT CentralAuth (FW_LAB_CENTRALAUTH=0);"
		log "WARNING: set FW_CENTRALAUTH_TARBALL to enable it"
		log "################################################################################"
		return 0
	fi
	TARBALL=$(cd "$(dirname "$TARBALL")" && pwd)/$(basename "$TARBALL")
	extract_extension CentralAuth "$TARBALL" extension.json
	CA_ON=1
}

# ------------------------------------------------------------------ 2b. Extension:OAuth source and keys
OA="$LAB/src/OAuth"
OA_ON=0

# OAuth signs consumer secrets with $wgOAuthSecretKey (must be equal on A and B, or a secret shown on A fails on B)
# and OAuth 2 access tokens (RS256 JWTs) with an RSA key; league/oauth2-server refuses key files readable by others.
make_oauth_keys() {
	mkdir -p "$LAB/keys" && chmod 700 "$LAB/keys"
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$LAB/keys/oauth2.key.tmp" 2>/dev/null
	chmod 600 "$LAB/keys/oauth2.key.tmp" && mv "$LAB/keys/oauth2.key.tmp" "$LAB/keys/oauth2.key"
	openssl pkey -in "$LAB/keys/oauth2.key" -pubout -out "$LAB/keys/oauth2.pub.tmp"
	chmod 640 "$LAB/keys/oauth2.pub.tmp" && mv "$LAB/keys/oauth2.pub.tmp" "$LAB/keys/oauth2.pub"
	(umask 077 && openssl rand -hex 32 >"$LAB/keys/oauth-secret-key")
}

resolve_oauth() {
	if [ "$CA_ON" != 1 ] || [ ! -f "$OAUTH_TARBALL" ]; then
		local why="OAuth tarball not found: $OAUTH_TARBALL"
		[ "$CA_ON" = 1 ] || why="no CentralAuth (the lab's OAuth central wiki needs global accounts)"
		# a lab without CentralAuth by choice has no OAuth either (nothing run on it needs OAuth)
		[ "${CI:-}" != true ] || [ "${FW_LAB_WITHOUT_CENTRALAUTH:-0}" = 1 ] || die "$why (required under CI=true)"
		log "WARNING: $why: the wikis come up WITHOUT Extension:OAuth (FW_LAB_OAUTH=0); set FW_OAUTH_TARBALL"
		return 0
	fi
	OAUTH_TARBALL=$(cd "$(dirname "$OAUTH_TARBALL")" && pwd)/$(basename "$OAUTH_TARBALL")
	extract_extension OAuth "$OAUTH_TARBALL" vendor/autoload.php extension.json
	if [ ! -s "$LAB/keys/oauth2.key" ] || [ ! -s "$LAB/keys/oauth2.pub" ] || [ ! -s "$LAB/keys/oauth-secret-key" ]; then
		timed "OAuth keys (RSA 2048 for OAuth 2, \$wgOAuthSecretKey)" make_oauth_keys
	fi
	OA_ON=1
}

# ------------------------------------------------------------------ process helpers
# Daemons are started with setsid: the pid in run/<name>.pid is also the process-group id
# (php -S forks its workers into that group). run/<name>.match is a command-line fragment
# that proves a group is still ours (pids get reused).
is_running() {   # the group leader (the daemon itself) is alive and still runs what we started
	local pid frag args
	[ -f "$LAB/run/$1.pid" ] && [ -f "$LAB/run/$1.match" ] || return 1
	read -r pid <"$LAB/run/$1.pid" && IFS= read -r frag <"$LAB/run/$1.match" || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	# a zombie's cmdline is empty; builtins only, this runs on every no-op up.sh
	mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
	[[ " ${args[*]} " == *" $frag"* ]]
}
port_taken() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# start_daemon NAME HOST PORT FRAGMENT CMD...   (HOST and PORT empty: a daemon that listens nowhere)
start_daemon() {
	local name=$1 host=$2 port=$3 frag=$4
	shift 4
	if is_running "$name"; then return 0; fi
	"$HERE/down.sh" --only "$name" >/dev/null   # leftover workers of a dead master hold the port
	[ -z "$port" ] || ! port_taken "$host" "$port" || die "$host:$port is in use by a process this lab did not start ($name)"
	printf '%s\n' "$frag" >"$LAB/run/$name.match"
	# The daemon keeps none of the caller's file descriptors above 2: an inherited lock (flock) or pipe would
	# otherwise stay held for as long as the lab runs, by processes that never use it.
	# (bash, not sh: dash cannot name a descriptor above 9 in a redirection.)
	# shellcheck disable=SC2016 # $$, $fd and $@ belong to the inner bash
	setsid bash -c 'echo $$ >"$0"; for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@"' \
		"$LAB/run/$name.pid" "$@" >>"$LAB/logs/$name.log" 2>&1 </dev/null &
	STARTED+=("$name")
}
STARTED=()

wait_port() {
	local i
	for i in $(seq 1 100); do port_taken "$1" "$2" && return 0; sleep 0.05; done
	die "nothing listens on $1:$2"
}
wait_http() {
	local i
	for i in $(seq 1 240); do
		[[ $(curl -s -o /dev/null --max-time 30 -w '%{http_code}' "$1") == 2* ]] && return 0
		sleep 0.25
	done
	log "no answer from $1"
	return 1
}

# ------------------------------------------------------------------ 3. memcached
start_memcached() {
	# memcached refuses to run as root without -u; this one is ours, not the Debian service
	local user=()
	[ "$(id -u)" != 0 ] || user=(-u memcache)
	start_daemon memcached "$MEMC_HOST" "$MEMC_PORT" "-p $MEMC_PORT " \
		memcached -l "$MEMC_HOST" -p "$MEMC_PORT" -U 0 -m 64 -c 256 "${user[@]}"
	wait_port "$MEMC_HOST" "$MEMC_PORT"
}

# ------------------------------------------------------------------ 4. settings (rewritten every run)
write_common_settings() {
	cat <<PHP
<?php
// Generated by tests/lab/up.sh on every run: edit up.sh, not this file.
\$wgAllowUserJs = true;                     // tests install a user script on A
\$wgEnableUploads = false;
\$wgShowExceptionDetails = true;
\$wgGroupPermissions['user']['noratelimit'] = true;
\$wgPasswordAttemptThrottle = false;        // tests try wrong passwords; never lock out Admin
wfLoadExtension( 'Gadgets' );             // docs/gadget.md's gadget definition is tested on A (no tables needed)

// ---- the wiki farm as CentralAuth sees it (WikiMap / SiteConfiguration) ----
\$wgLocalDatabases = [ 'awiki', 'bwiki' ];
\$wgConf->wikis = \$wgLocalDatabases;
\$wgConf->suffixes = [ 'wiki' ];
\$wgConf->settings = [
	'wgServer' => [ 'awiki' => 'http://$HOST_A:$PORT_A', 'bwiki' => 'http://$HOST_B:$PORT_B' ],
	'wgCanonicalServer' => [ 'awiki' => 'http://$HOST_A:$PORT_A', 'bwiki' => 'http://$HOST_B:$PORT_B' ],
	'wgScriptPath' => [ 'default' => '/w' ],
	'wgArticlePath' => [ 'default' => '/w/index.php/\$1' ],
	'wgSitename' => [ 'awiki' => 'Wiki A', 'bwiki' => 'Wiki B' ],
];
// one SQLite dir for awiki, bwiki and centralauth: the domain 'centralauth' opens <dir>/centralauth.sqlite
\$wgSQLiteDataDir = '$LAB/data';

// ---- shared object cache (MediaWiki's pure-PHP memcached client) ----
\$wgMemCachedServers = [ '$MEMC_HOST:$MEMC_PORT' ];
\$wgMainCacheType = CACHE_MEMCACHED;
\$wgSessionCacheType = CACHE_DB;
\$wgParserCacheType = CACHE_DB;
\$wgMessageCacheType = CACHE_ACCEL;
PHP
	[ "$CA_ON" = 1 ] || return 0
	cat <<PHP

// ---- CentralAuth (FW_LAB_NO_CENTRALAUTH=1 lets up.sh create a local-only user) ----
if ( getenv( 'FW_LAB_NO_CENTRALAUTH' ) !== '1' ) {
	wfLoadExtension( 'CentralAuth', '$CA/extension.json' );
	\$wgCentralAuthDatabase = 'centralauth';
	\$wgCentralAuthCookies = true;           // also registers the 'centralauthtoken' API parameter
	\$wgCentralAuthSessionCacheType = CACHE_MEMCACHED;
	\$wgCentralAuthTokenCacheType = CACHE_MEMCACHED;
	// host-only cookies with per-wiki names: a login on A must not log the user in on B
	\$wgCentralAuthCookieDomain = '';
	\$wgCentralAuthCookiePrefix = 'fwlab_ca_' . \$wgDBname . '_';
	\$wgCentralAuthAutoMigrate = false;
	\$wgCentralAuthAutoMigrateNonGlobalAccounts = false;
	\$wgCentralAuthStrict = false;
	\$wgDebugLogGroups['CentralAuth'] = '$LAB/logs/centralauth-' . \$wgDBname . '.log';
	\$wgDebugLogGroups['session'] = '$LAB/logs/session-' . \$wgDBname . '.log';
}
PHP
	[ "$OA_ON" = 1 ] || return 0
	cat <<PHP

// ---- Extension:OAuth (REL1_39 with its vendor/): central wiki A, used on A and B ----
if ( getenv( 'FW_LAB_NO_CENTRALAUTH' ) !== '1' ) {
	wfLoadExtension( 'OAuth', '$OA/extension.json' );
	\$wgMWOAuthCentralWiki = 'awiki';         // consumers live in awiki's DB; user ids are CentralAuth's
	\$wgMWOAuthSharedUserIDs = true;
	\$wgMWOAuthSecureTokenTransfer = false;   // plain http lab
	\$wgOAuthSecretKey = '$(cat "$LAB/keys/oauth-secret-key")';
	\$wgOAuth2PrivateKey = '$LAB/keys/oauth2.key';   // paths, not PEM text: the library would copy it to /tmp
	\$wgOAuth2PublicKey = '$LAB/keys/oauth2.pub';
	// request tokens, nonces, auth codes and refresh tokens: shared by A and B
	\$wgMWOAuthSessionCacheType = CACHE_MEMCACHED;
	\$wgMWOAuthNonceCacheType = CACHE_MEMCACHED;
	\$wgGroupPermissions['user']['mwoauthproposeconsumer'] = true;
	\$wgGroupPermissions['user']['mwoauthupdateownconsumer'] = true;
	\$wgGroupPermissions['sysop']['mwoauthmanageconsumer'] = true;
	\$wgGroupPermissions['sysop']['mwoauthviewprivate'] = true;
	// debug level: holds signature base strings and HMAC keys (lab only)
	\$wgDebugLogGroups['OAuth'] = '$LAB/logs/oauth-' . \$wgDBname . '.log';
}
PHP
}

# write_wiki_settings ID HOST PORT CORS-ORIGINS...
write_wiki_settings() {
	local id=$1 host=$2 port=$3 dir="$LAB/$1" cors=""
	shift 3
	local o
	for o in "$@"; do cors+="'$o', "; done
	cat <<PHP
<?php
// Generated by tests/lab/up.sh on every run: edit up.sh, not this file.
\$wgServer = 'http://$host:$port';
\$wgCanonicalServer = \$wgServer;
\$wgCookiePrefix = 'fwlab_${id}wiki';        // cookies are per host, not per port: keep names distinct
\$wgCacheDirectory = '$dir/cache';
\$wgUploadDirectory = '$dir/images';
\$wgReadOnlyFile = '$dir/readonly';         // tests write this file to make the wiki read-only
\$wgDebugLogGroups['exception'] = '$dir/logs/exception.log';
\$wgDebugLogGroups['error'] = '$dir/logs/error.log';
\$wgDebugLogGroups['api-warning'] = '$dir/logs/api-warning.log';
// CORS: entries match ^https?://<entry>\$ against Origin, so the port is part of the entry
\$wgCrossSiteAJAXdomains = [ ${cors%, } ];
\$wgAllowCrossOrigin = true;                // REST: Access-Control-Allow-Origin
\$wgRestAllowCrossOriginCookieAuth = true;  // REST: echo the origin + credentials for logged-in users
\$wgRestAPIAdditionalRouteFiles[] = 'includes/Rest/coreDevelopmentRoutes.json';   // /coredev/v0/me/...
require_once '$LAB/CommonSettings.php';
PHP
	if [ "$id" = a ]; then
		cat <<PHP
// ---- B as A's foreign upload target (mw.ForeignUpload('wikib'): the upload dialog's path, issue 12) ----
\$wgForeignFileRepos[] = [ 'class' => ForeignAPIRepo::class, 'name' => 'wikib',
	'apibase' => 'http://$HOST_B:$PORT_B/w/api.php', 'hashLevels' => 2, 'fetchDescription' => false ];
\$wgForeignUploadTargets = [ 'wikib' ];
PHP
	fi
	[ "$id" != b ] || cat <<PHP
// ---- uploads on B (the helpers' chunked uploads and mw.ForeignUpload tests) ----
\$wgEnableUploads = true;
\$wgFileExtensions = [ 'png', 'gif', 'jpg', 'jpeg', 'svg', 'txt' ];
\$wgVerifyMimeType = false;                 // test files are generated text; no MIME sniffing needed
\$wgUploadStashMaxAge = 6 * 3600;
\$wgEnableAsyncUploads = true;             // async=1: assembled and published by the job runners (start_servers)
PHP
	cat <<PHP
// Settings a test changes without a restart (read on every request), e.g. a short
// \$wgOAuth2GrantExpirationInterval; see tests/lab/README.md. Last, so that they win.
// opcache (on under php -S) revalidates a file at most every 2 s, by its mtime in seconds: a file rewritten by a
// test would be read stale, so this one is always recompiled.
if ( is_file( '$dir/RuntimeOverrides.php' ) ) {
	if ( function_exists( 'opcache_invalidate' ) ) {
		opcache_invalidate( '$dir/RuntimeOverrides.php', true );
	}
	require '$dir/RuntimeOverrides.php';
}
PHP
}

# write to a temp file and rename, so a request never sees half a file
write_file() {
	local dest=$1
	shift
	"$@" >"$dest.tmp" && mv -f "$dest.tmp" "$dest"
}

write_settings() {
	write_file "$LAB/CommonSettings.php" write_common_settings
	chmod 600 "$LAB/CommonSettings.php"   # holds $wgOAuthSecretKey
	write_file "$LAB/a/LabSettings.php" write_wiki_settings a "$HOST_A" "$PORT_A" "$HOST_S:$PORT_S"
	write_file "$LAB/b/LabSettings.php" write_wiki_settings b "$HOST_B" "$PORT_B" "$HOST_S:$PORT_S" "$HOST_A:$PORT_A"
}

# ------------------------------------------------------------------ 5. routers for php -S
write_wiki_router() {
	cat <<'PHP'
<?php
// Generated by tests/lab/up.sh. php -S router for a wiki: docroot has w -> MediaWiki,
// the wiki is chosen by the server's MW_CONFIG_FILE; MediaWiki's own dev router does the rest.
if ( PHP_SAPI !== 'cli-server' ) {
	exit( 1 );
}
$path = parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH ) ?: '/';
if ( $path === '/' ) {
	header( 'Location: /w/index.php', true, 302 );
	return true;
}
return require $_SERVER['DOCUMENT_ROOT'] . '/w/maintenance/dev/includes/router.php';
PHP
}

write_static_router() {
	cat <<'PHP'
<?php
// Generated by tests/lab/up.sh. php -S router for the static origin: serves the repository
// read-only with explicit content types (.mjs, .wasm) and no caching; never runs PHP files.
if ( PHP_SAPI !== 'cli-server' ) {
	exit( 1 );
}
const TYPES = [
	'html' => 'text/html; charset=utf-8', 'htm' => 'text/html; charset=utf-8',
	'js' => 'text/javascript; charset=utf-8', 'mjs' => 'text/javascript; charset=utf-8',
	'css' => 'text/css; charset=utf-8', 'json' => 'application/json', 'map' => 'application/json',
	'wasm' => 'application/wasm', 'svg' => 'image/svg+xml', 'png' => 'image/png',
	'ico' => 'image/x-icon', 'txt' => 'text/plain; charset=utf-8', 'md' => 'text/plain; charset=utf-8',
	'sh' => 'text/plain; charset=utf-8',
];
function fail( int $code, string $msg ): bool {
	http_response_code( $code );
	header( 'Content-Type: text/plain; charset=utf-8' );
	header( 'Cache-Control: no-store' );
	echo "$msg\n";
	return true;
}
header( 'Cache-Control: no-store' );
$method = $_SERVER['REQUEST_METHOD'];
if ( $method !== 'GET' && $method !== 'HEAD' ) {
	return fail( 405, 'method not allowed' );
}
$path = rawurldecode( parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ?: '/' );
// no dot segments, no dotfiles (.git, .state); never the lab's secrets (env, env.secrets.json, keys)
if ( preg_match( '#(^|/)\.#', $path ) || strpos( $path, "\0" ) !== false ||
	preg_match( '#/build/lab/(env$|env\.secrets\.json$|keys/|state/|CommonSettings)#', $path ) ) {
	return fail( 404, 'not found' );
}
$file = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' ) . $path;
if ( is_dir( $file ) ) {
	if ( substr( $path, -1 ) !== '/' ) {
		header( 'Location: ' . $path . '/', true, 301 );
		return true;
	}
	if ( !is_file( $file . 'index.html' ) ) {
		header( 'Content-Type: text/html; charset=utf-8' );
		$h = htmlspecialchars( $path );
		echo "<!doctype html><meta charset=utf-8><title>$h</title><h1>$h</h1><ul>\n";
		foreach ( scandir( $file ) as $e ) {
			if ( $e[0] !== '.' ) {
				$u = rawurlencode( $e ) . ( is_dir( "$file/$e" ) ? '/' : '' );
				echo '<li><a href="' . $u . '">' . htmlspecialchars( $e ) . "</a>\n";
			}
		}
		echo "</ul>\n";
		return true;
	}
	$file .= 'index.html';
}
if ( !is_file( $file ) || !is_readable( $file ) ) {
	return fail( 404, 'not found' );
}
$ext = strtolower( pathinfo( $file, PATHINFO_EXTENSION ) );
header( 'Content-Type: ' . ( TYPES[$ext] ?? 'application/octet-stream' ) );
header( 'Content-Length: ' . filesize( $file ) );
if ( $method === 'GET' ) {
	readfile( $file );
}
return true;
PHP
}

# ------------------------------------------------------------------ 6. wikis (before CentralAuth is enabled)
install_wiki() {
	local id=$1 host=$2 port=$3 name=$4 dir="$LAB/$1"
	local ilog="$dir/logs/install.log"
	# a half-made wiki is redone; the SUL state then has to be redone too
	rm -rf "$dir" "$LAB/data/${id}wiki.sqlite"
	rm -f "$LAB/state/central-schema" "$LAB/state/migrated" "$LAB/state/bonly" "$LAB/state/consumers.json"
	mkdir -p "$dir/cache" "$dir/images" "$dir/logs" "$dir/htdocs"
	ln -s "$MW" "$dir/htdocs/w"
	# MW_CONFIG_FILE names the not-yet-existing per-wiki file, so install.php ignores $IP/LocalSettings.php
	logged "$ilog" env -C "$MW" MW_CONFIG_FILE="$dir/LocalSettings.php" php maintenance/install.php \
		--dbtype sqlite --dbpath "$LAB/data" --dbname "${id}wiki" \
		--server "http://$host:$port" --scriptpath /w --lang en --skins Vector \
		--pass "$ADMIN_PASS" --confpath "$dir" "$name" "$ADMIN_USER"
	# local accounts are made BEFORE CentralAuth is enabled; the migration makes them global
	logged "$ilog" mwmaint "$id" createAndPromote.php "$TESTER_USER" "$TESTER_PASS"
	echo "This is $name of the fwlab test lab." >"$dir/seed.txt"
	logged "$ilog" mwmaint "$id" edit.php --user "$ADMIN_USER" --summary "fwlab seed" "Main Page" <"$dir/seed.txt"
	printf '\n# fwlab: lab settings, regenerated by tests/lab/up.sh\nrequire_once __DIR__ . "/LabSettings.php";\n' \
		>>"$dir/LocalSettings.php"
	touch "$dir/.installed"
}

# ------------------------------------------------------------------ 7. CentralAuth: central DB + SUL migration
create_central_tables() {
	rm -f "$LAB/data/centralauth.sqlite" "$LAB/state/migrated" "$LAB/state/bonly" "$LAB/state/consumers.json"
	# update.php does not create the central tables (only under $wgWikimediaJenkinsCI)
	logged "$LAB/logs/central-schema.log" mwmaint a sql.php --wikidb centralauth "$CA/schema/sqlite/tables-generated.sql"
	touch "$LAB/state/central-schema"
}

migrate_accounts() {
	local mlog="$LAB/logs/migrate.log"
	logged "$mlog" camaint a migratePass0.php   # globalnames/localnames
	logged "$mlog" camaint b migratePass0.php
	logged "$mlog" camaint a migratePass1.php   # globaluser + home-wiki attachment (home: awiki)
	# pass1 attaches only the home wiki (no confirmed e-mail); attach the B accounts explicitly
	printf '%s\n' "$ADMIN_USER" "$TESTER_USER" >"$LAB/state/userlist.txt"
	logged "$mlog" camaint a attachAccount.php --userlist "$LAB/state/userlist.txt"
	touch "$LAB/state/migrated"
}

# a local account on B only, never global: created with CentralAuth switched off for that one run
create_bonly() {
	FW_LAB_NO_CENTRALAUTH=1 logged "$LAB/b/logs/install.log" mwmaint b createAndPromote.php "$BONLY_USER" "$BONLY_PASS"
	touch "$LAB/state/bonly"
}

# A bot password (Special:BotPasswords) for login() from Node: Tester@fwlab on B.
create_bot_password() {
	logged "$LAB/b/logs/install.log" mwmaint b createBotPassword.php --appid "$BOT_APP" \
		--grants basic,highvolume,editpage,createeditmovepage,uploadfile,uploadeditmovefile,editmyoptions,editmywatchlist "$TESTER_USER" "$BOT_PASS"
	touch "$LAB/state/botpassword"
}

# A bot password for deploy-gadget (js/bin/deploy-gadget.mjs): Admin@deploy on A, allowed to edit MediaWiki:*.js.
create_deploy_password() {
	logged "$LAB/a/logs/install.log" mwmaint a createBotPassword.php --appid "$DEPLOY_APP" \
		--grants basic,editpage,createeditmovepage,editsiteconfig "$ADMIN_USER" "$DEPLOY_PASS"
	touch "$LAB/state/deploypassword"
}

# ------------------------------------------------------------------ 7b. OAuth: tables on the central wiki, consumers
has_table() {   # $1=sqlite file $2=table
	php -r '$db = new PDO("sqlite:" . $argv[1]); $q = $db->query("SELECT name FROM sqlite_master WHERE type=\"table\" AND name=" . $db->quote($argv[2])); exit($q && $q->fetch() ? 0 : 1);' "$1" "$2"
}

create_consumers() {
	(umask 077 && logged "$LAB/logs/oauth-consumers.log" env -C "$MW" MW_INSTALL_PATH="$MW" \
		MW_CONFIG_FILE="$LAB/a/LocalSettings.php" php "$HERE/oauth-consumers.php" \
		--owner "$ADMIN_USER" --confirm-email "$ADMIN_USER" --confirm-email "$TESTER_USER" \
		--oauth1-callback "http://$HOST_S:$PORT_S/tests/browser/pages/oauth1-callback.html" \
		--oauth2-redirect "http://$HOST_S:$PORT_S/tests/browser/pages/oauth2-callback.html" \
		--out "$LAB/state/consumers.json")
}

# ------------------------------------------------------------------ 8. servers
start_servers() {
	# upload limits: chunks are ≤ 5 MB (mw.Api's default chunk); whole-file uploads in tests stay under 20 MB
	local php=(php -d display_errors=0 -d log_errors=1 -d memory_limit=512M -d max_execution_time=120
		-d upload_max_filesize=20M -d post_max_size=24M)
	start_daemon wiki-a "$HOST_A" "$PORT_A" "-S $HOST_A:$PORT_A " \
		env MW_CONFIG_FILE="$LAB/a/LocalSettings.php" PHP_CLI_SERVER_WORKERS=$WORKERS \
		"${php[@]}" -d error_log="$LAB/logs/wiki-a.php-errors.log" \
		-S "$HOST_A:$PORT_A" -t "$LAB/a/htdocs" "$LAB/routers/wiki.php"
	start_daemon wiki-b "$HOST_B" "$PORT_B" "-S $HOST_B:$PORT_B " \
		env MW_CONFIG_FILE="$LAB/b/LocalSettings.php" PHP_CLI_SERVER_WORKERS=$WORKERS \
		"${php[@]}" -d error_log="$LAB/logs/wiki-b.php-errors.log" \
		-S "$HOST_B:$PORT_B" -t "$LAB/b/htdocs" "$LAB/routers/wiki.php"
	# B's web requests run no jobs (php -S has no post-send): runners for the two steps of an async upload only, so
	# no other job adds an SQLite writer beside the tests.
	local type
	for type in AssembleUploadChunks PublishStashedFile; do
		start_daemon "jobs-$type" "" "" "--type $type" env MW_CONFIG_FILE="$LAB/b/LocalSettings.php" \
			php -d display_errors=0 -d log_errors=1 -d error_log="$LAB/logs/jobs.php-errors.log" \
			"$MW/maintenance/runJobs.php" --wait --type "$type"
	done
	start_daemon static "$HOST_S" "$PORT_S" "-S $HOST_S:$PORT_S " \
		env PHP_CLI_SERVER_WORKERS=2 \
		"${php[@]}" -d error_log="$LAB/logs/static.php-errors.log" \
		-S "$HOST_S:$PORT_S" -t "$REPO" "$LAB/routers/static.php"
}

wait_servers() {
	local pids=() p rc=0
	wait_http "http://$HOST_A:$PORT_A/w/api.php?action=query&meta=siteinfo&format=json" & pids+=($!)
	wait_http "http://$HOST_B:$PORT_B/w/api.php?action=query&meta=siteinfo&format=json" & pids+=($!)
	wait_http "http://$HOST_S:$PORT_S/" & pids+=($!)
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	[ $rc = 0 ] || die "a server did not answer; see $LAB/logs and $LAB/{a,b}/logs"
}

# ------------------------------------------------------------------ 9. env files
write_env() {
	local vars=(
		FW_LAB_DIR "$LAB"
		FW_LAB_STATIC "http://$HOST_S:$PORT_S"
		FW_LAB_A "http://$HOST_A:$PORT_A"
		FW_LAB_A_API "http://$HOST_A:$PORT_A/w/api.php"
		FW_LAB_A_REST "http://$HOST_A:$PORT_A/w/rest.php"
		FW_LAB_B "http://$HOST_B:$PORT_B"
		FW_LAB_B_API "http://$HOST_B:$PORT_B/w/api.php"
		FW_LAB_B_REST "http://$HOST_B:$PORT_B/w/rest.php"
		FW_LAB_CENTRALAUTH "$CA_ON"
		FW_LAB_WITHOUT_CENTRALAUTH "${FW_LAB_WITHOUT_CENTRALAUTH:-0}"
		FW_LAB_ADMIN_USER "$ADMIN_USER"
		FW_LAB_ADMIN_PASS "$ADMIN_PASS"
		FW_LAB_TESTER_USER "$TESTER_USER"
		FW_LAB_TESTER_PASS "$TESTER_PASS"
		FW_LAB_BOT_USER "$TESTER_USER@$BOT_APP"
		FW_LAB_BOT_PASS "$BOT_PASS"
		FW_LAB_DEPLOY_USER "$ADMIN_USER@$DEPLOY_APP"
		FW_LAB_DEPLOY_PASS "$DEPLOY_PASS"
		FW_LAB_A_READONLY_FILE "$LAB/a/readonly"
		FW_LAB_B_READONLY_FILE "$LAB/b/readonly"
		FW_LAB_MW "$MW"
		FW_LAB_MEMCACHED "$MEMC_HOST:$MEMC_PORT"
	)
	if [ "$CA_ON" = 1 ] && [ -f "$LAB/state/bonly" ]; then
		vars+=(FW_LAB_BONLY_USER "$BONLY_USER" FW_LAB_BONLY_PASS "$BONLY_PASS")
	fi
	# public OAuth values go to env.json (served to the static origin's pages); secrets only to env and
	# env.secrets.json, both mode 600, which the static origin refuses to serve
	local secrets=() c="$LAB/state/consumers.json"
	vars+=(FW_LAB_OAUTH "$OA_ON")
	if [ "$OA_ON" = 1 ]; then
		j() { jq -er ".consumers.$1" "$c"; }
		vars+=(
			FW_LAB_OAUTH1_KEY "$(j oauth1.consumer_key)"
			FW_LAB_OAUTH1_CALLBACK "$(j oauth1.callback_url)"
			FW_LAB_OAUTH1_OWNER_KEY "$(j oauth1_owner.consumer_key)"
			FW_LAB_OAUTH2_PUBLIC_ID "$(j oauth2_public.client_id)"
			FW_LAB_OAUTH2_PUBLIC_REDIRECT "$(j oauth2_public.redirect_uri)"
			FW_LAB_OAUTH2_CONF_ID "$(j oauth2_confidential.client_id)"
			FW_LAB_OAUTH2_CONF_REDIRECT "$(j oauth2_confidential.redirect_uri)"
			FW_LAB_A_RUNTIME_FILE "$LAB/a/RuntimeOverrides.php"
			FW_LAB_B_RUNTIME_FILE "$LAB/b/RuntimeOverrides.php"
		)
		secrets=(
			FW_LAB_OAUTH1_SECRET "$(j oauth1.consumer_secret)"
			FW_LAB_OAUTH1_OWNER_SECRET "$(j oauth1_owner.consumer_secret)"
			FW_LAB_OAUTH1_OWNER_TOKEN "$(j oauth1_owner.access_token)"
			FW_LAB_OAUTH1_OWNER_TOKEN_SECRET "$(j oauth1_owner.access_secret)"
			FW_LAB_OAUTH2_CONF_SECRET "$(j oauth2_confidential.client_secret)"
			FW_LAB_OAUTH2_PUBLIC_SECRET "$(j oauth2_public.client_secret)"
			FW_LAB_OAUTH2_OWNER_TOKEN "$(j oauth2_owner.access_token)"
		)
	fi
	local i args=() sargs=()
	{
		echo "# fwlab test lab, written by tests/lab/up.sh (set -a; . this file; set +a)"
		for ((i = 0; i < ${#vars[@]}; i += 2)); do
			printf '%s=%q\n' "${vars[i]}" "${vars[i + 1]}"
			args+=(--arg "${vars[i]}" "${vars[i + 1]}")
		done
		for ((i = 0; i < ${#secrets[@]}; i += 2)); do
			printf '%s=%q\n' "${secrets[i]}" "${secrets[i + 1]}"
			sargs+=(--arg "${secrets[i]}" "${secrets[i + 1]}")
		done
	} >"$LAB/env.tmp"
	chmod 600 "$LAB/env.tmp"
	jq -n '$ARGS.named' "${args[@]}" >"$LAB/env.json.tmp"
	(umask 077 && jq -n '$ARGS.named' "${sargs[@]}" >"$LAB/env.secrets.json.tmp")
	mv -f "$LAB/env.tmp" "$LAB/env" && mv -f "$LAB/env.json.tmp" "$LAB/env.json" &&
		mv -f "$LAB/env.secrets.json.tmp" "$LAB/env.secrets.json"
}

# ------------------------------------------------------------------ main
main() {
	mkdir -p "$LAB/logs"
	LAB=$(cd "$LAB" && pwd)
	ensure_packages
	[ -f "$MW/maintenance/install.php" ] || die "no MediaWiki at $MW (set FW_LAB_MW)"
	MW=$(cd "$MW" && pwd -P)

	# another MediaWiki means another schema: start over
	if [ -f "$LAB/state/mw" ] && [ "$(cat "$LAB/state/mw")" != "$MW" ]; then
		log "MediaWiki changed ($(cat "$LAB/state/mw") -> $MW): purging the lab and reinstalling"
		"$HERE/down.sh" --purge
		mkdir -p "$LAB/logs"
	fi
	touch "$LAB/.fwlab"   # marks the dir as a lab, so down.sh --purge may delete it
	mkdir -p "$LAB/state" "$LAB/run" "$LAB/data" "$LAB/routers"
	echo "$MW" >"$LAB/state/mw"

	resolve_centralauth
	resolve_oauth
	timed_if_started "" start_memcached

	# sequential: both wikis write into the same SQLite dir (wikicache.sqlite is shared).
	# (if-statements, not `||`: bash ignores set -e inside a function called left of || or &&)
	if [ ! -f "$LAB/a/.installed" ]; then
		timed "install wiki A (install.php, Tester, seed edit)" install_wiki a "$HOST_A" "$PORT_A" "Wiki A"
	fi
	if [ ! -f "$LAB/b/.installed" ]; then
		timed "install wiki B (install.php, Tester, seed edit)" install_wiki b "$HOST_B" "$PORT_B" "Wiki B"
	fi
	write_settings
	write_file "$LAB/routers/wiki.php" write_wiki_router
	write_file "$LAB/routers/static.php" write_static_router

	if [ "$CA_ON" = 1 ]; then
		if [ ! -f "$LAB/state/central-schema" ] || [ ! -s "$LAB/data/centralauth.sqlite" ]; then
			timed "central DB (sql.php --wikidb centralauth)" create_central_tables
		fi
		if [ ! -f "$LAB/state/migrated" ]; then
			timed "global accounts (migratePass0 A+B, migratePass1, attachAccount)" migrate_accounts
		fi
		if [ ! -f "$LAB/state/bonly" ]; then
			timed "local-only user $BONLY_USER on B" create_bonly
		fi
	fi
	if [ "$OA_ON" = 1 ]; then
		# a new wiki A has no OAuth tables: consumers.json is then stale too
		if ! has_table "$LAB/data/awiki.sqlite" oauth_registered_consumer || [ ! -s "$LAB/state/consumers.json" ] ||
			[ "$HERE/oauth-consumers.php" -nt "$LAB/state/consumers.json" ]; then
			timed "OAuth tables + consumers (tests/lab/oauth-consumers.php on A)" create_consumers
		fi
	fi

	if [ ! -f "$LAB/state/botpassword" ]; then
		timed "bot password $TESTER_USER@$BOT_APP on B" create_bot_password
	fi
	if [ ! -f "$LAB/state/deploypassword" ]; then
		timed "bot password $ADMIN_USER@$DEPLOY_APP on A" create_deploy_password
	fi

	timed_if_started "and wait for answers" start_servers wait_servers
	write_env

	local total
	total=$(usecs_to_s $((${EPOCHREALTIME/./} - T_START)))
	printf '%(%Y-%m-%dT%H:%M:%S)T\t%ss\t%s\n' -1 "$total" "up.sh total" >>"$LAB/logs/steps.log"
	cat <<EOF
fwlab is up (${total}s):
  static : http://$HOST_S:$PORT_S/   (repository root)
  wiki A : http://$HOST_A:$PORT_A/w/index.php   api /w/api.php   rest /w/rest.php   (CORS: $HOST_S:$PORT_S)
  wiki B : http://$HOST_B:$PORT_B/w/index.php   (CORS: $HOST_S:$PORT_S, $HOST_A:$PORT_A)
  CentralAuth: $([ "$CA_ON" = 1 ] && echo "on (memcached $MEMC_HOST:$MEMC_PORT)" || { [ "${FW_LAB_WITHOUT_CENTRALAUTH:-0}" = 1 ] && echo "off, as asked (FW_LAB_WITHOUT_CENTRALAUTH=1)"; } || echo "OFF -- WARNING: no tarball at $TARBALL")
  OAuth: $([ "$OA_ON" = 1 ] && echo "on (central wiki A; consumers in env / env.secrets.json)" || echo "OFF")
  accounts: $ADMIN_USER / $ADMIN_PASS, $TESTER_USER / $TESTER_PASS$([ -f "$LAB/state/bonly" ] && [ "$CA_ON" = 1 ] && echo ", $BONLY_USER / $BONLY_PASS (B only)")
  env: $LAB/env, $LAB/env.json   logs: $LAB/logs   stop: tests/lab/down.sh
EOF
}

# timed_if_started SUFFIX FUNC...: run the FUNCs, but log the time only if they started a daemon
timed_if_started() {
	local suffix=$1 t0=${EPOCHREALTIME/./} f
	shift
	STARTED=()
	for f in "$@"; do "$f"; done
	((${#STARTED[@]})) || return 0
	local d label="start ${STARTED[*]}${suffix:+ $suffix}"
	d=$(usecs_to_s $((${EPOCHREALTIME/./} - t0)))
	printf '%(%Y-%m-%dT%H:%M:%S)T\t%ss\t%s\n' -1 "$d" "$label" >>"$LAB/logs/steps.log"
	log "$label (${d}s)"
}

main "$@"
