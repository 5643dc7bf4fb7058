#!/usr/bin/env bash
# The image, tried as an operator would: build both targets, check what the bridge image holds, run the sandbox and
# the bridge (plain HTTP on a given host, and HTTPS) on loopback, wait for each healthcheck to report healthy, POST
# every example request, and time `docker stop` on each container (under 5 s, exit code 0). Then the bridge image with
# CRM_SANDBOX=embedded (refused in one line: the image has no sandbox), and docs/operations.md's copy-paste (the
# bridge image against the sandbox container, on a Docker network of their own).
#
#   scripts/image-test.sh        needs a running Docker engine; not part of `npm test`
#
# NODE_IMAGE picks the base (default: the official node:24-bookworm-slim when it can be pulled, else a stand-in
# built by scripts/node-base-image.sh). Container traffic stays on loopback (--network host), but for the copy-paste's,
# which stays on the Docker network the script creates.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

docker info >/dev/null 2>&1 || fail "no Docker engine answers (start dockerd first)"

TAG=interaction-bridge:image-test
SANDBOX_TAG=interaction-bridge-sandbox:image-test
PREFIX="ib-image-test-$$"
work="$(mktemp -d)"
cleanup() {
  docker rm -f "$PREFIX-sandbox" "$PREFIX-bridge" "$PREFIX-bridge-tls" "$PREFIX-crm-sandbox" "$PREFIX-interaction-bridge" \
    >/dev/null 2>&1 || true
  docker network rm "$PREFIX-net" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "base image"
if [ -z "${NODE_IMAGE:-}" ]; then
  if docker pull -q node:24-bookworm-slim >/dev/null 2>&1; then NODE_IMAGE=node:24-bookworm-slim
  else NODE_IMAGE="$(scripts/node-base-image.sh)"; fi
fi
echo "NODE_IMAGE=$NODE_IMAGE ($(docker run --rm --network none "$NODE_IMAGE" node --version))"

step "build (bridge: the default target; sandbox: the compose image)"
# A build network behind a TLS proxy: give npm the proxy's CA (this machine's extra certificates), build stages only.
ca="$(cat ${BUILD_CA_CERTS_FILE:-/usr/local/share/ca-certificates/*.crt} 2>/dev/null || true)"
build() {
  docker build --network host --build-arg NODE_IMAGE="$NODE_IMAGE" --build-arg BUILD_CA_CERTS="$ca" "$@" . \
    >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; fail "docker build $*"; }
}
build -t "$TAG"
echo "context: $(grep -m1 'Sending build context' "$work/build.log" || echo 'BuildKit')"
build --target sandbox -t "$SANDBOX_TAG"
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep image-test

step "what the bridge image holds"
docker run --rm --network none --entrypoint bash "$TAG" -c '
  set -e
  echo "node $(node --version), user $(id -un) ($(id -u)), workdir $(pwd)"
  test "$(id -u)" != 0
  for absent in node_modules/typescript dist/bench dist/apps/crm-sandbox; do
    test ! -e "$absent" || { echo "present: $absent"; exit 1; }
  done
  maps=$(find dist -name "*.map" | wc -l); ts=$(find dist -name "*.ts" | wc -l)
  echo "dist: $(find dist -name "*.js" | wc -l) .js files, $maps source maps, $ts .ts files"
  test "$maps" = 0 && test "$ts" = 0
  echo "node_modules: $(du -sh node_modules | cut -f1); no typescript, no dist/bench, no sandbox"
  echo "healthcheck: $(command -v bridge-healthcheck)"
'
# No install script ran during npm ci (Scarf's postinstall included): scripts are off where npm ci runs.
build --target production-dependencies -t interaction-bridge-deps:image-test
docker run --rm --network none interaction-bridge-deps:image-test sh -c '
  echo "npm ci ran with ignore-scripts=$(npm config get ignore-scripts), SCARF_ANALYTICS=$SCARF_ANALYTICS"
  test "$(npm config get ignore-scripts)" = true'
docker rmi interaction-bridge-deps:image-test >/dev/null
docker history --no-trunc "$TAG" | grep -q 'BUILD_CA_CERTS' && fail "the CA build argument reached the bridge image's history"
echo "history: no build-stage argument in the bridge image"

step "run sandbox and bridges on loopback"
sandbox_port=$(free_port); bridge_port=$(free_port); tls_port=$(free_port)
# A throwaway certificate, readable by the image's user (uid 1000), as a mounted Secret would be.
mkdir -m 0755 "$work/tls" && chmod 0755 "$work"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$work/tls/tls.key" -out "$work/tls/tls.crt" >/dev/null 2>&1
chmod 0644 "$work/tls/tls.key"
hardening=(--network host --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges)
docker run -d --name "$PREFIX-sandbox" "${hardening[@]}" \
  -e SANDBOX_HOST=127.0.0.1 -e SANDBOX_PORT="$sandbox_port" "$SANDBOX_TAG" >/dev/null
# No load balancer in front of these containers: nothing to wait for on shutdown.
bridge_env=(-e CRM_SANDBOX_URL="http://127.0.0.1:$sandbox_port" -e HOST=127.0.0.1 -e SHUTDOWN_DRAIN_DELAY_MS=0)
docker run -d --name "$PREFIX-bridge" "${hardening[@]}" "${bridge_env[@]}" -e PORT="$bridge_port" "$TAG" >/dev/null
docker run -d --name "$PREFIX-bridge-tls" "${hardening[@]}" "${bridge_env[@]}" -e PORT="$tls_port" \
  -v "$work/tls:/tls:ro" -e TLS_CERT_FILE=/tls/tls.crt -e TLS_KEY_FILE=/tls/tls.key "$TAG" >/dev/null
echo "sandbox 127.0.0.1:$sandbox_port, bridge http://127.0.0.1:$bridge_port, bridge https://127.0.0.1:$tls_port"

step "healthchecks (the images' own: interval, start period and all)"
started=$(date +%s)
for container in sandbox bridge bridge-tls; do
  while :; do
    status=$(docker inspect -f '{{.State.Health.Status}}' "$PREFIX-$container")
    [ "$status" = healthy ] && break
    [ "$status" = unhealthy ] && { docker logs "$PREFIX-$container" | tail -n 20; fail "$container is unhealthy"; }
    [ $(($(date +%s) - started)) -gt 120 ] && fail "$container still $status after 120 s"
    sleep 1
  done
  echo "$container: healthy after $(($(date +%s) - started)) s ($(docker inspect -f '{{json .Config.Healthcheck.Test}}' "$PREFIX-$container"))"
done

step "POST the examples"
for example in examples/*-request.json; do
  connector=$(basename "$example" -request.json)
  for base in "http://127.0.0.1:$bridge_port" "https://127.0.0.1:$tls_port"; do
    out=$(curl -sk -o "$work/answer.json" -w '%{http_code} %{time_total}' -X POST "$base/$connector/interactions" \
      -H 'content-type: application/json' -H "x-request-id: image-test-$connector" --data @"$example")
    read -r status seconds <<<"$out"
    [ "$status" = 200 ] || { cat "$work/answer.json"; fail "$connector via $base: HTTP $status"; }
    summary=$(node -e 'const a=require(process.argv[1]); const t={}; for (const i of a) t[i.type]=(t[i.type]||0)+1; console.log(a.length+" items "+JSON.stringify(t))' "$work/answer.json")
    echo "$connector via ${base%%:*}: 200 in ${seconds}s, $summary"
  done
done
access=$(docker logs "$PREFIX-bridge" 2>&1 | grep '"context":"Access"' | grep '"requestId":"image-test-zendesk"' | head -n 1)
[ -n "$access" ] || fail "no access log line for image-test-zendesk"
echo "access log: $access"

step "docker stop (each under 5 s, exit code 0)"
for container in bridge bridge-tls sandbox; do
  begin=$(date +%s%N)
  docker stop "$PREFIX-$container" >/dev/null
  elapsed_ms=$((($(date +%s%N) - begin) / 1000000))
  code=$(docker inspect -f '{{.State.ExitCode}}' "$PREFIX-$container")
  echo "$container: stopped in ${elapsed_ms} ms, exit code $code"
  [ "$elapsed_ms" -lt 5000 ] || fail "$container took ${elapsed_ms} ms to stop"
  [ "$code" = 0 ] || fail "$container exited with $code"
done

step "CRM_SANDBOX=embedded on the bridge image, which has no sandbox: one configuration line, exit code 1"
code=0
refusal=$(docker run --rm --network none -e CRM_SANDBOX=embedded "$TAG" 2>&1) || code=$?
[ "$code" = 1 ] || fail "exit code $code: $refusal"
[ "$(printf '%s\n' "$refusal" | wc -l)" = 1 ] || fail "more than one line: $refusal"
case "$refusal" in "Invalid configuration: CRM_SANDBOX=embedded"*) ;; *) fail "not the configuration line: $refusal" ;; esac
echo "exit code $code: $refusal"

step "docs/operations.md's copy-paste: the bridge image against the sandbox container"
# The same commands as the document's, with this run's names, tags and a free port.
demo_port=$(free_port)
docker network create "$PREFIX-net" >/dev/null
docker run -d --rm --name "$PREFIX-crm-sandbox" --network "$PREFIX-net" "$SANDBOX_TAG" >/dev/null
docker run -d --rm --name "$PREFIX-interaction-bridge" --network "$PREFIX-net" -p "127.0.0.1:$demo_port:3000" \
  -e CRM_SANDBOX_URL="http://$PREFIX-crm-sandbox:4010" "$TAG" >/dev/null
started=$(date +%s)
until curl -sf -o /dev/null "http://127.0.0.1:$demo_port/health/ready"; do
  [ $(($(date +%s) - started)) -gt 60 ] && { docker logs "$PREFIX-interaction-bridge" | tail -n 20; fail "not ready after 60 s"; }
  sleep 1
done
for example in examples/*-request.json; do
  connector=$(basename "$example" -request.json)
  status=$(curl -s -o "$work/answer.json" -w '%{http_code}' -X POST "http://127.0.0.1:$demo_port/$connector/interactions" \
    -H 'content-type: application/json' --data @"$example")
  [ "$status" = 200 ] || { cat "$work/answer.json"; fail "$connector via the copy-paste: HTTP $status"; }
  echo "$connector: 200, $(node -e 'console.log(require(process.argv[1]).length + " items")' "$work/answer.json")"
done
docker stop "$PREFIX-interaction-bridge" "$PREFIX-crm-sandbox" >/dev/null
docker network rm "$PREFIX-net" >/dev/null

step "image test passed"
