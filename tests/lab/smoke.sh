#!/usr/bin/env bash
# tests/lab/smoke.sh — prove with curl that the lab from tests/lab/up.sh works:
# CORS on B, login on A, a centralauthtoken from A used once on B (api.php and rest.php),
# global and local accounts, cookie isolation; Extension:OAuth: an owner-only Bearer, the OAuth 2 PKCE flow
# (consent form posted), Bearer with origin=* made anonymous, secrets not served to the static origin.
# Prints PASS/FAIL per check; exits 1 if any check failed. Takes ~5 s (a used token costs 3 s).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
LAB=${FW_LAB_DIR:-$REPO/build/lab}
[ -f "$LAB/env" ] || { echo "no $LAB/env: run tests/lab/up.sh first" >&2; exit 1; }
# shellcheck source=/dev/null
. "$LAB/env"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
JAR_A="$TMP/a.jar"
ORIGIN=$FW_LAB_STATIC   # the pages under test are served from the static origin
ORIGIN_Q=$(jq -rn --arg o "$ORIGIN" '$o | @uri')
FAILS=0

pass() { printf 'PASS  %s\n' "$1"; }
fail() { printf 'FAIL  %s\n      %s\n' "$1" "$2"; FAILS=$((FAILS + 1)); }
# check NAME ACTUAL EXPECTED
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$3', got '$2'"; fi; }

# http ARGS...: curl; body in $TMP/body, headers in $TMP/head
# (a failed request leaves both empty, so the check that reads them fails instead of the script)
http() { curl -sS --max-time 30 -D "$TMP/head" -o "$TMP/body" "$@" || { : >"$TMP/head"; : >"$TMP/body"; }; }
header() { tr -d '\r' <"$TMP/head" | awk -v h="${1,,}" -F': ' 'tolower($1) == h { print $2 }' | tail -n 1; }
body() { jq -r "$1" "$TMP/body" 2>/dev/null || echo "<not JSON: $(head -c 200 "$TMP/body")>"; }

# -------------------------------------------------------------- no login needed
check_static() {
	http "$FW_LAB_STATIC/tests/lab/smoke.sh"
	check "static origin serves the repository, not cached" \
		"$(head -n 1 "$TMP/head" | tr -d '\r' | cut -d' ' -f2) $(header Cache-Control)" "200 no-store"
}

check_b_anonymous_cors() {
	http "$FW_LAB_B_API?action=query&meta=siteinfo&format=json&origin=*"
	check "B siteinfo, anonymous CORS (origin=*)" "$(body .query.general.sitename) $(header Access-Control-Allow-Origin)" "Wiki B *"
}

# -------------------------------------------------------------- login on A
login_a() {
	local tok
	http -c "$JAR_A" "$FW_LAB_A_API?action=query&meta=tokens&type=login&format=json"
	tok=$(body .query.tokens.logintoken)
	http -b "$JAR_A" -c "$JAR_A" "$FW_LAB_A_API" -d action=clientlogin -d format=json \
		--data-urlencode "username=$FW_LAB_ADMIN_USER" --data-urlencode "password=$FW_LAB_ADMIN_PASS" \
		--data-urlencode "logintoken=$tok" --data-urlencode "loginreturnurl=$FW_LAB_A/"
	check "A clientlogin as $FW_LAB_ADMIN_USER" "$(body .clientlogin.status)" PASS
}

# a centralauthtoken from A, asked for the way a page on the static origin does
a_token() {
	http -b "$JAR_A" -H "Origin: $ORIGIN" \
		"$FW_LAB_A_API?action=centralauthtoken&format=json&origin=$ORIGIN_Q"
	TOKEN=$(body .centralauthtoken.centralauthtoken)
	ACAO_A=$(header Access-Control-Allow-Origin)
}

b_userinfo_with_token() {
	http -H "Origin: $ORIGIN" \
		"$FW_LAB_B_API?action=query&meta=userinfo&format=json&origin=$ORIGIN_Q&centralauthtoken=$1"
}

check_centralauth() {
	a_token
	if [[ $TOKEN =~ ^[0-9a-f]{32,}$ ]] && [ "$ACAO_A" = "$ORIGIN" ]; then
		pass "A action=centralauthtoken (credentialed CORS from $ORIGIN)"
	else
		fail "A action=centralauthtoken (credentialed CORS from $ORIGIN)" "token '$TOKEN', ACAO '$ACAO_A': $(head -c 300 "$TMP/body")"
	fi

	b_userinfo_with_token "$TOKEN"
	check "B userinfo with the token: user and ACAO" \
		"$(body .query.userinfo.name) $(header Access-Control-Allow-Origin) $(header Access-Control-Allow-Credentials)" \
		"$FW_LAB_ADMIN_USER $ORIGIN true"

	local t0=${EPOCHREALTIME/./}
	b_userinfo_with_token "$TOKEN"
	local ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
	check "B rejects a second use of the token (badtoken, ${ms} ms)" \
		"$(body .error.code) $(header MediaWiki-API-Error)" "badtoken badtoken"

	a_token
	http -H "Origin: $ORIGIN" -H "Authorization: CentralAuthToken $TOKEN" "$FW_LAB_B_REST/coredev/v0/me/contributions"
	check "B REST /coredev/v0/me/contributions with Authorization: CentralAuthToken" \
		"$(head -n 1 "$TMP/head" | tr -d '\r' | cut -d' ' -f2) $(header Access-Control-Allow-Origin)" "200 $ORIGIN"

	http "$FW_LAB_B_API?action=query&meta=globaluserinfo&guiuser=$FW_LAB_TESTER_USER&guiprop=merged&format=json"
	check "$FW_LAB_TESTER_USER is global and attached on awiki and bwiki" \
		"$(body '[.query.globaluserinfo.merged[].wiki] | sort | join(",")')" "awiki,bwiki"
}

# -------------------------------------------------------------- isolation and local users
check_isolation() {
	# curl sends cookies by host, as a browser does: B (127.0.0.2) gets none of A's
	http -b "$JAR_A" "$FW_LAB_B_API?action=query&meta=userinfo&format=json"
	check "B userinfo with A's cookie jar is anonymous" "$(body '.query.userinfo.anon != null')" true
	# even sent by hand, A's cookie names mean nothing to B (per-wiki prefixes)
	local cookies
	cookies=$(awk -F'\t' 'NF >= 7 { printf "%s=%s; ", $6, $7 }' "$JAR_A")
	http -H "Cookie: $cookies" "$FW_LAB_B_API?action=query&meta=userinfo&format=json"
	check "B userinfo with A's cookies sent by hand is anonymous" "$(body '.query.userinfo.anon != null')" true
}

# clientlogin on B as $1/$2 in a fresh jar
login_b() {
	local jar="$TMP/b-$1.jar" tok
	http -c "$jar" "$FW_LAB_B_API?action=query&meta=tokens&type=login&format=json"
	tok=$(body .query.tokens.logintoken)
	http -b "$jar" -c "$jar" "$FW_LAB_B_API" -d action=clientlogin -d format=json \
		--data-urlencode "username=$1" --data-urlencode "password=$2" \
		--data-urlencode "logintoken=$tok" --data-urlencode "loginreturnurl=$FW_LAB_B/"
	check "B clientlogin as $1$3" "$(body .clientlogin.status)" PASS
}

# -------------------------------------------------------------- Extension:OAuth
status() { head -n 1 "$TMP/head" | tr -d '\r' | cut -d' ' -f2; }

# the consent form of Special:OAuth/approve (or /authorize) in $TMP/body -> "ACTION<TAB>urlencoded fields"
consent_form() {
	php -r '$d = new DOMDocument(); @$d->loadHTML(file_get_contents($argv[1]));
		$f = (new DOMXPath($d))->query("//form[@id=\"mw-mwoauth-authorize-form\"]")->item(0);
		if (!$f) exit(1);
		$q = [];
		foreach ($f->getElementsByTagName("input") as $i)
			if ($i->getAttribute("type") === "hidden") $q[$i->getAttribute("name")] = $i->getAttribute("value");
		echo $f->getAttribute("action"), "\t", http_build_query($q);' "$TMP/body"
}

check_oauth() {
	local secrets
	secrets=$(jq -r .FW_LAB_OAUTH2_OWNER_TOKEN "$LAB/env.secrets.json")
	http -H "Authorization: Bearer $secrets" "$FW_LAB_B_API?action=query&meta=userinfo&format=json"
	check "B api.php with the owner-only OAuth 2 Bearer is $FW_LAB_ADMIN_USER" "$(body .query.userinfo.name)" "$FW_LAB_ADMIN_USER"
	http -H "Authorization: Bearer $secrets" "$FW_LAB_B_API?action=query&meta=userinfo&format=json&origin=*"
	check "B api.php Bearer with origin=* runs anonymously (Login-Suppressed)" \
		"$(body '.query.userinfo.anon != null') $(header MediaWiki-Login-Suppressed)" "true true"
	http "$FW_LAB_STATIC/build/lab/env.secrets.json"
	check "the static origin does not serve env.secrets.json" "$(status)" 404

	# OAuth 2 authorization code + PKCE S256, public client, as Tester (logged in on B by login_b)
	local jar="$TMP/b-$FW_LAB_TESTER_USER.jar" verifier challenge state ru loc form code
	verifier=$(openssl rand -hex 32)
	challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | basenc --base64url | tr -d '=')
	state=$(openssl rand -hex 8)
	ru=$(jq -rn --arg v "$FW_LAB_OAUTH2_PUBLIC_REDIRECT" '$v | @uri')
	http -b "$jar" -c "$jar" "$FW_LAB_B_REST/oauth2/authorize?response_type=code&client_id=$FW_LAB_OAUTH2_PUBLIC_ID&redirect_uri=$ru&state=$state&code_challenge=$challenge&code_challenge_method=S256"
	loc=$(header Location)
	http -b "$jar" -c "$jar" "$loc"
	form=$(consent_form) || form=""
	check "B authorize -> Special:OAuth/approve shows the consent form" "$([ -n "$form" ] && echo yes)" yes
	http -b "$jar" -c "$jar" --data "${form#*$'\t'}&accept=Allow" "$FW_LAB_B${form%%$'\t'*}"
	http -b "$jar" -c "$jar" "$(header Location)"
	loc=$(header Location)
	code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$loc")
	check "consent -> redirect to the registered URI with code and the same state" \
		"${loc%%\?*} $([ -n "$code" ] && echo code) $(sed -n 's/.*[?&]state=\([^&]*\).*/\1/p' <<<"$loc")" \
		"$FW_LAB_OAUTH2_PUBLIC_REDIRECT code $state"
	http -H "Origin: $ORIGIN" --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
		--data-urlencode "client_id=$FW_LAB_OAUTH2_PUBLIC_ID" --data-urlencode "redirect_uri=$FW_LAB_OAUTH2_PUBLIC_REDIRECT" \
		--data-urlencode "code_verifier=$verifier" "$FW_LAB_B_REST/oauth2/access_token"
	local access
	access=$(body .access_token)
	check "code exchange with code_verifier and no secret (CORS *)" \
		"$(body .token_type) $(body '.refresh_token | length > 0') $(header Access-Control-Allow-Origin)" "Bearer true *"
	http -H "Authorization: Bearer $access" "$FW_LAB_B_REST/oauth2/resource/profile"
	check "B REST oauth2/resource/profile with the new Bearer is $FW_LAB_TESTER_USER" "$(body .username)" "$FW_LAB_TESTER_USER"
}

main() {
	check_static
	check_b_anonymous_cors
	login_a
	if [ "$FW_LAB_CENTRALAUTH" = 1 ]; then
		check_centralauth
	else
		echo "SKIP  CentralAuth checks: FW_LAB_CENTRALAUTH=0 (no CentralAuth tarball when up.sh ran)"
		echo "SKIP  !!! the lab has NO CentralAuth: token checks were NOT run !!!"
	fi
	check_isolation
	login_b "$FW_LAB_TESTER_USER" "$FW_LAB_TESTER_PASS" ""
	if [ -n "${FW_LAB_BONLY_USER:-}" ]; then
		login_b "$FW_LAB_BONLY_USER" "$FW_LAB_BONLY_PASS" " (local user of B)"
		http "$FW_LAB_B_API?action=query&meta=globaluserinfo&guiuser=$FW_LAB_BONLY_USER&format=json"
		check "$FW_LAB_BONLY_USER has no global account" "$(body '.query.globaluserinfo.missing != null')" true
	fi
	if [ "${FW_LAB_OAUTH:-0}" = 1 ]; then
		check_oauth
	else
		echo "SKIP  !!! OAuth checks: FW_LAB_OAUTH=0 (no Extension:OAuth when up.sh ran) !!!"
	fi

	if [ "$FAILS" = 0 ]; then
		echo "smoke: all checks passed$([ "$FW_LAB_CENTRALAUTH" = 1 ] || echo " (CentralAuth checks SKIPPED)")"
	else
		echo "smoke: $FAILS check(s) FAILED"
		exit 1
	fi
}

main "$@"
