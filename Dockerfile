# syntax=docker/dockerfile:1
# The preflight probe image: the one-file bundle (dist/probe.mjs) on a Node 22 base.
#
# Why this shape: the probe runs in every task on every deploy, as a non-essential container the app waits
# on (dependsOn SUCCESS). The image therefore carries no shell, no package manager and no node_modules (the
# bundle has none at run time), runs as a non-root user and writes nothing, so a read-only root filesystem
# suits it.
#
# It copies the bundle `npm ci` (or `npm run build`) has already made, rather than building it inside, so
# the same Dockerfile works in this repository and in the installed npm package, which ships dist/ but not
# the sources; that is what the CDK constructs build as their default probe image asset.
#
# BASE is the one thing that varies. Production (the default, and the CDK asset) uses distroless Node 22, an LTS
# line the CLI is tested on (Node 20 reached end of life on 2026-04-30);
# CI builds the very same file on a Node base made from Debian packages (scripts/probe-image.mjs), which puts
# node at the same path, and runs the image against the test router (test/image/). docs/probe-image.md has
# the build, push and multi-arch commands.
ARG BASE=gcr.io/distroless/nodejs22-debian12:nonroot
FROM ${BASE}

ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=https://www.npmjs.com/package/firelens-preflight
ARG BASE
LABEL org.opencontainers.image.title="firelens-preflight probe" \
      org.opencontainers.image.description="Verifies a FireLens (Fluent Bit) log router before the app starts" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="${BASE}"

# Owned by root and read-only to everyone else: the probe's user can run the bundle, not change it.
COPY dist/probe.mjs /probe/probe.mjs
# The distroless nonroot user (uid 65532), by number so that any base works without a passwd entry.
USER 65532:65532
WORKDIR /probe
# ECS stops containers with SIGTERM; the probe answers it with a JSON line and exit 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/nodejs/bin/node", "/probe/probe.mjs"]
