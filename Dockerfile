# syntax=docker/dockerfile:1.10
#
# The production images of the product: one Dockerfile, two targets, one binary each.
#
#   docker buildx build --target api    -t invoicing-api .     # the REST API + the web app
#   docker buildx build --target worker -t invoicing-worker .  # the Temporal worker
#
# Two targets rather than one image with both binaries: each Deployment gets only what it runs
# (the worker has no web app, the API no worker), the ECR repositories `invoicing-api` and
# `invoicing-worker` scan and expire them separately, and each image's ENTRYPOINT is fixed, so
# Kubernetes only ever passes arguments (`migrate` for the migration Job). Both targets share
# every build stage, so building the second one after the first reuses the whole Rust build.
#
# Stages:
#   web      the SPA's production build (web/dist), on the build platform: its output is static
#            files, the same for every target architecture
#   chef     the pinned Rust toolchain with cargo-chef
#   planner  the dependency "recipe" of the workspace (manifests and Cargo.lock only)
#   builder  compiles the dependencies from the recipe (a layer that changes only with
#            Cargo.lock/manifests), then the two binaries: `cargo build --release --locked
#            -p invoicing-api -p invoicing-worker` with SQLX_OFFLINE (the committed .sqlx/
#            query cache; no database is reachable from a build). By package, not by `--bin`:
#            cargo then unifies features over these two packages only, and the test suite's
#            Temporal server downloader stays out of the images.
#   api, worker  distroless runtime images, non-root (UID/GID 65532)
#
# Caching: the cooked dependency layer is what makes a CI rebuild incremental. CI's runners are
# ephemeral, so BuildKit cache mounts do not survive there; layers do (docker/build-push-action
# exports them to the GitHub Actions cache, `mode=max`). The target directory is therefore a
# layer (cargo-chef's cook output), not a cache mount: a cache mount on target/ would hide the
# cooked layer from the final build. The download caches (cargo registry and git, npm) are
# cache mounts: they only save downloads on a builder that keeps its cache, and every file
# cargo unpacks carries a fixed mtime, so unpacking again never rebuilds anything.
#
# Toolchain versions: Rust 1.95.0 is the toolchain the project is developed and tested with
# (Cargo.toml's rust-version is the 1.90 minimum); .github/workflows/ci.yml installs the same
# version (scripts/check-ci fails if the two differ). Node 20.20.2 likewise matches CI and the
# development machines. Base images are pinned by tag and digest; Dependabot
# (.github/dependabot.yml) proposes updates.
#
# Nothing secret is used at build time: no build arguments, no secret mounts. Configuration and
# secrets reach the processes as APP_… environment variables from Kubernetes
# (docs/configuration.md).

# ---------------------------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS web
WORKDIR /web
# The lock file alone first: the npm ci layer is reused until a dependency changes.
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
# `npm run build` = tsc --noEmit && vite build && node scripts/bundle-size.mjs (prints sizes).
RUN npm run build \
    && test -f dist/index.html

# ---------------------------------------------------------------------------------------------
FROM rust:1.95.0-bookworm@sha256:6258907abe69656e41cd992e0b705cdcfabcbbe3db374f92ed2d47121282d4a1 AS chef
# cargo-chef pinned; --locked uses its own Cargo.lock, so its dependencies are pinned too.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    cargo install cargo-chef --locked --version 0.1.78
WORKDIR /src

# ---------------------------------------------------------------------------------------------
# Every workspace member is copied by name (scripts/check-ci checks this list against the
# workspace's `members`): cargo loads all members' manifests, and a change to anything else in
# the repository (deploy/, terraform/, docs, the web app) must not invalidate the Rust layers.
FROM chef AS planner
COPY Cargo.toml Cargo.lock ./
COPY workflows/ workflows/
COPY einvoice/ einvoice/
COPY store/ store/
COPY platform/ platform/
COPY activities/ activities/
COPY api/ api/
COPY worker/ worker/
COPY fakes/ fakes/
COPY tests/ tests/
COPY bench/ bench/
COPY chaos/ chaos/
RUN cargo chef prepare --recipe-path recipe.json

# ---------------------------------------------------------------------------------------------
FROM chef AS builder
# The sqlx query macros are checked against .sqlx/ instead of a live database.
ENV SQLX_OFFLINE=true \
    CARGO_NET_RETRY=10
COPY --from=planner /src/recipe.json recipe.json
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    cargo chef cook --release --locked --recipe-path recipe.json -p invoicing-api -p invoicing-worker
COPY Cargo.toml Cargo.lock ./
# .sqlx/: the offline query cache. migrations/: embedded into the binaries at compile time
# (sqlx::migrate! in store/src/lib.rs), so the runtime image needs no migration files.
COPY .sqlx/ .sqlx/
COPY migrations/ migrations/
COPY workflows/ workflows/
COPY einvoice/ einvoice/
COPY store/ store/
COPY platform/ platform/
COPY activities/ activities/
COPY api/ api/
COPY worker/ worker/
COPY fakes/ fakes/
COPY tests/ tests/
COPY bench/ bench/
COPY chaos/ chaos/
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    cargo build --release --locked -p invoicing-api -p invoicing-worker --bin api --bin worker \
    && install -D -m 0555 target/release/api /out/api \
    && install -D -m 0555 target/release/worker /out/worker

# ---------------------------------------------------------------------------------------------
# Runtime: distroless "cc" = glibc (the build stage is Debian 12 too, so the binaries link
# against the same glibc), libgcc, CA certificates (TLS to AWS, Stripe, RDS and ElastiCache),
# tzdata, and a `nonroot` user with UID/GID 65532. No shell and no package manager.
#
# No HEALTHCHECK: Docker's HEALTHCHECK is ignored by Kubernetes, and the image has no shell or
# curl to run one. The Deployments probe /healthz (liveness) and /readyz (readiness) over HTTP:
# the API on 8080, the worker on its health port 8081 (deploy/).
# checkov:skip=CKV_DOCKER_2: Kubernetes ignores HEALTHCHECK; both targets are probed over HTTP on /healthz and /readyz (API 8080, worker 8081) by their Deployments, and the distroless image has no shell or curl to run a HEALTHCHECK command.
FROM gcr.io/distroless/cc-debian12:nonroot@sha256:9dac0a79194e45a7da0158a9c6da57b217585af0786db3845d1f0ec1a0dd182f AS runtime
# Production defaults of the image; the Kubernetes manifests set these too, plus everything
# that differs per environment and the secrets. An empty APP_AWS__ENDPOINT_URL means the real
# AWS endpoints (the binaries' default is the local moto server).
ENV APP_ENVIRONMENT=production \
    APP_LOG_FORMAT=json \
    APP_AWS__ENDPOINT_URL=
WORKDIR /app
USER 65532:65532

# ---------------------------------------------------------------------------------------------
# The API. `api` (= `api serve`) serves; the migration Job runs `api migrate` (args: ["migrate"]);
# an operator makes an administrator with `kubectl exec -i deploy/invoicing-api --
# /usr/local/bin/api create-admin --email …`, the password on standard input (no shell needed).
FROM runtime AS api
COPY --from=builder /out/api /usr/local/bin/api
COPY --from=web /web/dist /app/web
ENV APP_HTTP__HOST=0.0.0.0 \
    APP_HTTP__PORT=8080 \
    APP_HTTP__WEB_DIR=/app/web
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
CMD ["serve"]

# ---------------------------------------------------------------------------------------------
# The worker. It serves Prometheus metrics at /metrics on APP_WORKER__METRICS_ADDRESS (9464)
# and its probes, /healthz and /readyz, on APP_WORKER__HEALTH_ADDRESS (8081); the image sets
# both so the probes work without further settings. On SIGTERM it stops polling and finishes
# the tasks in hand for APP_WORKER__GRACEFUL_SHUTDOWN_SECS (the Deployment's
# terminationGracePeriodSeconds is longer).
FROM runtime AS worker
COPY --from=builder /out/worker /usr/local/bin/worker
ENV APP_WORKER__METRICS_ADDRESS=0.0.0.0:9464 \
    APP_WORKER__HEALTH_ADDRESS=0.0.0.0:8081
EXPOSE 9464 8081
ENTRYPOINT ["/usr/local/bin/worker"]
