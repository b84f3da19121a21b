# The production image: web (gunicorn), worker and beat all run from it.
# PYTHON_IMAGE is the base: the official image by default; CI builds from a stand-in made of
# Debian's own packages (.ci/deploy/build-base-images.sh).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-nanum \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings that boot; these values exist only for the build step. In
# production the files are stored compressed with hashed names (CompressedManifestStaticFilesStorage)
# and served by WhiteNoise.
RUN SECRET_KEY=build-only-$(python -c "print('x'*60)") DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

# The app runs as uid 1000. /data is where the media volume is mounted (MEDIA_ROOT and
# PRIVATE_MEDIA_ROOT in docker-compose.yml): created here and owned by the app, so that a new
# named volume starts with that owner and uploads can be written.
RUN useradd --system --uid 1000 --home /app magok \
    && mkdir -p /app/var /data/media /data/private \
    && chown -R magok /app/var /data
USER magok

EXPOSE 8000
# Workers, threads and timeouts come from gunicorn.conf.py (GUNICORN_* environment variables).
CMD ["gunicorn", "magok.wsgi:application", "--config", "gunicorn.conf.py"]
