# syntax=docker/dockerfile:1
# The preflight probe image: the one-file bundle (dist/probe.mjs) on a distroless Node 20 base.
#
# Why this shape: the probe runs in every task on every deploy, as a non-essential container the app waits
# on (dependsOn SUCCESS). The image therefore carries no shell, no package manager and no node_modules (the
# bundle has none at run time), and runs as a non-root user.
#
# It copies the bundle `npm ci` (or `npm run build`) has already made, rather than building it inside, so
# the same Dockerfile works in this repository and in the installed npm package, which ships dist/ but not
# the sources; that is what the CDK constructs build as their default probe image asset.
#
# Not built by this repository's checks: the machines that develop it have no Docker engine. Build with
#   npm ci && docker build -t firelens-preflight-probe .
# and try it with
#   docker run --rm --network host -e FIRELENS_PREFLIGHT_CONTAINERS=app firelens-preflight-probe --help

FROM gcr.io/distroless/nodejs20-debian12:nonroot
LABEL org.opencontainers.image.title="firelens-preflight probe" \
      org.opencontainers.image.description="Verifies a FireLens (Fluent Bit) log router before the app starts" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /probe
COPY --chown=nonroot:nonroot dist/probe.mjs /probe/probe.mjs
# The nonroot variant's user (uid 65532); stated again so the intent survives a base image change.
USER 65532:65532
# ECS stops containers with SIGTERM; the probe answers it with a JSON line and exit 1.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/nodejs/bin/node", "/probe/probe.mjs"]
