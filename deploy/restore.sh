#!/usr/bin/env bash
# Restore the newest backup in DIR (deploy/backup.sh) into the stack's PostgreSQL and media
# volume, e.g. on a new host or after the volumes were lost:   deploy/restore.sh /srv/backups/magok
# Stops web, worker and beat while it restores; start them again with `up -d` afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(cd "${1:?usage: deploy/restore.sh DIR}" && pwd)"
read -r -a compose <<<"${COMPOSE:-docker compose}"
dump="$(ls -1 "$dir"/magok-*.dump | sort | tail -1)"
media="$(ls -1 "$dir"/media-*.tar.gz | sort | tail -1)"
echo "restore: $dump $media"
"${compose[@]}" stop web worker beat >/dev/null 2>&1 || true
"${compose[@]}" up -d postgres redis
for _ in $(seq 60); do
    "${compose[@]}" exec -T postgres pg_isready -U magok -d magok >/dev/null 2>&1 && break
    sleep 1
done
# --clean drops what the dump holds first, so this also works over an existing database.
"${compose[@]}" exec -T postgres pg_restore -U magok -d magok --clean --if-exists --no-owner --exit-on-error <"$dump"
# Into the media volume as the app's user (uid 1000), replacing what is there.
"${compose[@]}" run --rm --no-deps -T -v "$dir:/backup:ro" web \
    sh -c "find /data -mindepth 1 -delete && tar -C /data -xzf /backup/$(basename "$media")"
echo "restored; now: ${compose[*]} up -d"
