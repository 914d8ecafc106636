# Production image of Acopagro (docs/deploy.md). No Docker engine on the development machines:
# the file is linted by hadolint in the test suite (tests/security/test_dockerfile.py).

# 1. Front-end assets from npm, at the versions of package-lock.json.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

# 2. Python dependencies in their own layer (rebuilt only when requirements.txt changes), then the
#    code, its compiled translations and its collected static files.
FROM python:3.11-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gettext is only needed here, to compile the translations; Debian's security updates are wanted,
# so its version is not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
WORKDIR /app
COPY --from=assets /build/node_modules ./node_modules
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v0 \
    && DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && rm -rf node_modules

# 3. The runtime: no compilers, no package manager caches, a user without privileges.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH DEBUG=0
RUN groupadd --gid 1000 acopagro \
    && useradd --create-home --uid 1000 --gid 1000 --shell /usr/sbin/nologin acopagro
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
# Uploaded import files (MEDIA_ROOT): a volume shared by the web and worker containers.
RUN mkdir -p /data/media && chown 1000:1000 /data/media && chmod 0700 /data/media
WORKDIR /app
USER 1000:1000
EXPOSE 8000
# python, not curl (the slim image has no curl): exits 0 when /healthz answers 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "acopagro.healthcheck"]
# Workers from the CPU count (2 × CPUs + 1, or WEB_CONCURRENCY): see acopagro/gunicorn_conf.py.
CMD ["gunicorn", "acopagro.wsgi", "--config", "python:acopagro.gunicorn_conf"]
