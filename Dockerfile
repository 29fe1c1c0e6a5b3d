# devops-ladder: the GitHub App (Probot) with its badge service, as one non-root container.
# Build:  docker build -t devops-ladder .
# Run:    docker compose up   (compose.yaml: the store on a named volume, secrets from .env)
#
# Base image: node:20.20.0-bookworm-slim, an exact published tag of the official image (Node 20 is the
# version CI tests; Dependabot's docker ecosystem proposes new tags). Pin it further to its digest with
# `docker buildx imagetools inspect node:20.20.0-bookworm-slim` where the registry is reachable.

# ── build: TypeScript and the native better-sqlite3 addon ─────────────────────────────────────────
FROM node:20.20.0-bookworm-slim AS build
# python3, make and g++ compile better-sqlite3 when no prebuilt binary matches the platform
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# lifecycle scripts off (`prepare` would build before the sources are here); then build the one addon we need
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build:dist && npm prune --omit=dev

# ── runtime: production dependencies, the compiled app, the rubric; no compiler, no dev dependencies ──
FROM node:20.20.0-bookworm-slim AS runtime
# sqlite3: online backups (SQLite's backup API) and integrity checks by scripts/backup.sh and restore.sh
RUN apt-get update \
    && apt-get install -y --no-install-recommends sqlite3 \
    && rm -rf /var/lib/apt/lists/*
# JSON logs with the level as a word, one object a line: what monitoring/promtail.yml ships to Loki
ENV NODE_ENV=production \
    PORT=3000 \
    LOG_FORMAT=json \
    LOG_LEVEL_IN_STRING=true \
    DATABASE_PATH=/data/devops-ladder.db \
    BACKUP_DIR=/data/backups
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
COPY rules ./rules
COPY schema ./schema
COPY scripts/backup.sh scripts/restore.sh ./scripts/
# the store lives on a volume owned by the unprivileged `node` user (uid 1000) of the base image
RUN mkdir -p /data/backups && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
