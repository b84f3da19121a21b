# The production image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

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
# collectstatic needs settings that boot; these values exist only for the build step.
RUN SECRET_KEY=build-only-$(python -c "print('x'*60)") DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 --home /app magok && mkdir -p /app/var && chown -R magok /app/var
USER magok

EXPOSE 8000
# Workers, threads and timeouts come from gunicorn.conf.py (GUNICORN_* environment variables).
CMD ["gunicorn", "magok.wsgi:application", "--config", "gunicorn.conf.py"]
