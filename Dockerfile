# syntax=docker/dockerfile:1
# The preflight probe image: the one-file bundle (dist/probe.mjs) on a distroless Node 20 base.
#
# Why this shape: the probe runs in every task on every deploy, as a non-essential container the app waits
# on (dependsOn SUCCESS). The final image therefore carries no shell, no package manager and no node_modules
# (the bundle has none at run time), and runs as a non-root user.
#
# Not built by this repository's checks: the machines that develop it have no Docker engine. Build with
#   docker build -t firelens-preflight-probe .
# and try it with
#   docker run --rm --network host -e FIRELENS_PREFLIGHT_CONTAINERS=app firelens-preflight-probe --help

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
# `prepare` would build before the sources are here; build explicitly below instead.
RUN npm ci --ignore-scripts --no-audit --no-fund
# Only what the build reads, so the context needs no .dockerignore to keep node_modules or dist out.
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && node dist/probe.mjs --help > /dev/null

FROM gcr.io/distroless/nodejs20-debian12:nonroot
LABEL org.opencontainers.image.title="firelens-preflight probe" \
      org.opencontainers.image.description="Verifies a FireLens (Fluent Bit) log router before the app starts" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /probe
COPY --from=build --chown=nonroot:nonroot /src/dist/probe.mjs /probe/probe.mjs
# The nonroot variant's user (uid 65532); stated again so the intent survives a base image change.
USER 65532:65532
# ECS stops containers with SIGTERM; the probe answers it with a JSON line and exit 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/nodejs/bin/node", "/probe/probe.mjs"]
