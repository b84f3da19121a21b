#!/usr/bin/env bash
# Back up PostgreSQL (pg_dump, custom format) and the media volume (logos, programme documents)
# into DIR, from the running stack:   deploy/backup.sh /srv/backups/magok
# COMPOSE is the compose command ("docker compose" by default; CI: podman-compose -f ...).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:?usage: deploy/backup.sh DIR}"
read -r -a compose <<<"${COMPOSE:-docker compose}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
# A consistent snapshot while the site runs.
"${compose[@]}" exec -T postgres pg_dump -U magok -d magok --format=custom >"$dir/magok-$stamp.dump.part"
mv "$dir/magok-$stamp.dump.part" "$dir/magok-$stamp.dump"
"${compose[@]}" exec -T web tar -C /data -czf - . >"$dir/media-$stamp.tar.gz.part"
mv "$dir/media-$stamp.tar.gz.part" "$dir/media-$stamp.tar.gz"
chmod a+r "$dir/magok-$stamp.dump" "$dir/media-$stamp.tar.gz"
echo "backup: $dir/magok-$stamp.dump $dir/media-$stamp.tar.gz"
