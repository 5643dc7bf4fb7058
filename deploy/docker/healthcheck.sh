#!/bin/bash
# The image's HEALTHCHECK. `bridge-healthcheck` probes the bridge's /health/live where it listens (HOST, PORT, and
# HTTPS when TLS_CERT_FILE is set); `bridge-healthcheck sandbox` probes the sandbox CRM (SANDBOX_HOST, SANDBOX_PORT).
#
# Plain HTTP is spoken by bash itself over /dev/tcp: no process besides this shell, no curl in the image. Only when
# the bridge serves TLS itself does it start `node` (bash cannot speak TLS; node is the one TLS client in the image,
# and adding curl and OpenSSL's tools to the image for this would cost more than a node start every interval).
set -u

if [[ ${1:-} == sandbox ]]; then
  host=${SANDBOX_HOST:-127.0.0.1} port=${SANDBOX_PORT:-4010} path=/__sandbox/faults tls=
else
  host=${HOST:-0.0.0.0} port=${PORT:-3000} path=/health/live tls=${TLS_CERT_FILE:-}
fi
# A wildcard address is where the server listens, not where to call it.
case $host in 0.0.0.0 | :: | '[::]' | '') host=127.0.0.1 ;; esac
host=${host#[}
host=${host%]}

if [[ -n $tls ]]; then
  # The certificate is for the public name, not for the loopback address probed here: check the answer, not the name.
  exec node -e '
    const [host, port, path] = process.argv.slice(1);
    const request = require("node:https").get({ host, port, path, rejectUnauthorized: false, timeout: 2500 }, (r) => {
      r.resume();
      process.exit(r.statusCode === 200 ? 0 : 1);
    });
    request.on("timeout", () => process.exit(1)).on("error", () => process.exit(1));
  ' "$host" "$port" "$path"
fi

exec 3<>"/dev/tcp/$host/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
IFS=' ' read -r -t 3 _ status _ <&3 || exit 1
[[ $status == 200 ]]
