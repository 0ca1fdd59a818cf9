# Production image: gunicorn for web, the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint renders PDFs with Pango; curl is for the health checks.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 ivscheme
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY --from=assets /app/node_modules/bootstrap/dist node_modules/bootstrap/dist
COPY --from=assets /app/node_modules/htmx.org/dist node_modules/htmx.org/dist
COPY . .
# collectstatic needs settings to import; these values exist only for this build step.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput \
    && mkdir -p var/media && chown -R ivscheme var
USER ivscheme
EXPOSE 8000
CMD ["gunicorn", "ivscheme.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
