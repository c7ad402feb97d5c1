# syntax=docker/dockerfile:1
# MAPPA Assistant: the bot as one stateless container. Build with scripts/container-build.sh.
# Runs as a non-root user on a read-only root filesystem: nothing is written outside /tmp.

ARG NODE_VERSION=20.20

# --- build: dev dependencies and the TypeScript compiler; never shipped ---
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts off: no dependency may run code at install time; the build needs none.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY cards ./cards
RUN npm run build

# --- production dependencies only ---
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# --- runtime ---
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    HOME=/tmp \
    NPM_CONFIG_CACHE=/tmp/.npm
WORKDIR /app
# Owned by root and not writable by the app user: the code cannot be changed from inside.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
# The image's built-in unprivileged user (uid 1000); numeric so runtimes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3978
# Liveness only: /readyz (database reachable) is the orchestrator's readiness probe, so a database
# outage takes instances out of rotation without restarting them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 (no npm or shell wrapper), so SIGTERM reaches the server, which drains turns and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "--heap-growing-percent=50", "dist/src/main.js"]
