# The bridge for production: talks to the real CRMs (CRM_SANDBOX=off). See docs/operations.md.
#
#   docker build -t interaction-bridge .                          the bridge (the default, last stage)
#   docker build --target sandbox -t interaction-bridge-sandbox .   the sandbox CRM (and the bridge), for compose
#
# NODE_IMAGE is the official Node.js image of the LTS line the bridge ships on; scripts/image-test.sh passes a
# locally built stand-in on machines that cannot pull from a registry.
ARG NODE_IMAGE=node:24-bookworm-slim
# Extra CA certificates (PEM) that npm must trust to reach its registry from a build network behind a TLS proxy.
# Build stages only: no shipped image carries them.
ARG BUILD_CA_CERTS=

# ---- compile TypeScript (with every dependency, dev ones included) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# swagger-ui-dist depends on @scarf/scarf, whose postinstall reports each install to Scarf. No install script is
# needed to build or run the bridge, so none runs; SCARF_ANALYTICS=false keeps Scarf quiet even if one did.
ENV SCARF_ANALYTICS=false npm_config_ignore_scripts=true npm_config_audit=false npm_config_fund=false \
    npm_config_update_notifier=false
ARG BUILD_CA_CERTS
COPY package.json package-lock.json ./
RUN printf '%s\n' "$BUILD_CA_CERTS" >/tmp/build-ca.pem && NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
# No source maps: the sources are not in the image, and maps without them only point at missing files.
RUN npx tsc -p tsconfig.build.json --sourceMap false

# ---- production dependencies only: no dev dependencies, and no optional peers (TypeScript, for @nestjs/swagger) ----
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
ENV SCARF_ANALYTICS=false npm_config_ignore_scripts=true npm_config_audit=false npm_config_fund=false \
    npm_config_update_notifier=false
ARG BUILD_CA_CERTS
COPY package.json package-lock.json ./
RUN printf '%s\n' "$BUILD_CA_CERTS" >/tmp/build-ca.pem \
 && NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem npm ci --omit=dev --omit=optional --omit=peer \
 && npm cache clean --force && rm /tmp/build-ca.pem

# ---- what both images share ----
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY deploy/docker/healthcheck.sh /usr/local/bin/bridge-healthcheck
USER node

# ---- the local stack (docker-compose): the sandbox CRM, plus the bridge's files so compose builds one image ----
# Never deployed. Its own command and HEALTHCHECK are the sandbox's; compose runs the bridge from it with the
# bridge's command and healthcheck.
FROM app AS sandbox
ENV SANDBOX_PORT=4010 SANDBOX_HOST=0.0.0.0
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/apps/bridge ./dist/apps/bridge
COPY examples ./examples
COPY --from=build /app/dist/apps/crm-sandbox ./dist/apps/crm-sandbox
EXPOSE 4010
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["bridge-healthcheck", "sandbox"]
CMD ["node", "dist/apps/crm-sandbox/src/main.js"]

# ---- the bridge: compiled JavaScript, production dependencies, the request examples for /docs ----
FROM app AS bridge
ENV CRM_SANDBOX=off LOG_FORMAT=json PORT=3000 HOST=0.0.0.0
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/apps/bridge ./dist/apps/bridge
COPY examples ./examples
EXPOSE 3000
# Docker and compose only; Kubernetes ignores it and uses the Deployment's probes.
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 CMD ["bridge-healthcheck"]
# V8 flags NODE_OPTIONS cannot carry (docs/benchmarks.md; bench/node-flags.ts):
# - the young generation stays at the size NODE_OPTIONS allows it (deploy/base: --max-semi-space-size=32). Without a
#   minimum, V8's memory reducer shrinks it after a quiet spell, and the next burst of screen pops promotes their
#   short-lived objects and sets off full collections;
# - no allocation-site pretenuring: V8 took sites whose objects a scavenge found alive (pops still in flight) for
#   long-lived ones and allocated them in the old generation, where, dead, they kept younger objects alive until a
#   full collection (6-7x the promotion, a full collection every few seconds).
CMD ["node", "--min-semi-space-size=32", "--no-allocation-site-pretenuring", "dist/apps/bridge/src/main.js"]
