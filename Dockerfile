# Production image: see docs/deploy.md. Built on a machine with a Docker engine.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 acopagro
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --from=assets /build/node_modules ./node_modules
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v0 \
    && DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
USER acopagro
EXPOSE 8000
CMD ["sh", "-c", "gunicorn acopagro.wsgi --bind 0.0.0.0:8000 --workers $((2 * $(nproc) + 1))"]
