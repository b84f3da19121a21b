#!/usr/bin/env bash
# make deploy-check: the production shape (Dockerfile, docker-compose.yml, the scale-out
# override, HAProxy) built and run for real with podman, then the smoke test (.ci/deploy/smoke.py).
# Installs what it needs from Debian's packages and PyPI; downloads nothing else: the base
# images are built from Debian's packages (.ci/deploy/build-base-images.sh, cached).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
started=$(date +%s)
log() { echo "[deploy-check +$(( $(date +%s) - started ))s] $*"; }

missing=()
command -v podman >/dev/null || missing+=(podman)
[ -x /usr/sbin/runc ] || command -v runc >/dev/null || missing+=(runc)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv=.venv-deploy
if [ ! -f "$venv/.installed" ] || [ requirements-deploy.txt -nt "$venv/.installed" ]; then
    log "installing podman-compose into $venv"
    test -x "$venv/bin/python" || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet -r requirements-deploy.txt
    touch "$venv/.installed"
fi

# Podman 4.3 on this kind of machine: crun refuses the hybrid cgroups, runc works; no systemd,
# so cgroupfs; the default ulimits cannot be raised inside the sandbox. CONTAINERS_CONF applies
# this to our commands only.
cache="${DEPLOY_CACHE:-/var/cache/magok-deploy}"
mkdir -p "$cache"
cat >"$cache/containers.conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
export CONTAINERS_CONF="$cache/containers.conf"

log "base images (Debian bookworm, cached in podman's store and $cache)"
eval "$(.ci/deploy/build-base-images.sh | sed 's/^/export /')"
log "base images: $PYTHON_IMAGE $POSTGRES_IMAGE $REDIS_IMAGE $HAPROXY_IMAGE $SMTP_SINK_IMAGE"

export MAGOK_IMAGE=localhost/magok-portal:ci
log "building $MAGOK_IMAGE from the Dockerfile"
podman build --quiet --network=host --build-arg PYTHON_IMAGE="$PYTHON_IMAGE" -t "$MAGOK_IMAGE" . >/dev/null
log "built"

# The operator's .env, written for this run (refuses to overwrite one it did not write).
marker="# written by make deploy-check"
if [ -n "${SMOKE_REUSE:-}" ] && [ -f .env ]; then
    : # keep the .env of the stack that is up
elif [ -f .env ] && [ "$(head -1 .env)" != "$marker" ]; then
    echo "deploy-check: .env exists and was not written by deploy-check; move it away first" >&2
    exit 1
fi
work="$cache/run"
export HTTP_PORT=${HTTP_PORT:-18080} HTTPS_PORT=${HTTPS_PORT:-18443} SMTP_SINK_PORT=${SMTP_SINK_PORT:-18025}
export TLS_CERT_DIR="$work/certs" BACKUP_DIR="$work/backup" COMPOSE_PROJECT_NAME=magok-ci
if [ -z "${SMOKE_REUSE:-}" ] || [ ! -f "$work/cert.pem" ]; then
    rm -rf "$work"
    mkdir -p "$TLS_CERT_DIR" "$BACKUP_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
        -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
    cat "$work/cert.pem" "$work/key.pem" >"$TLS_CERT_DIR/site.pem"
    chmod 644 "$TLS_CERT_DIR/site.pem"
fi
export CA_FILE="$work/cert.pem"
[ -n "${SMOKE_REUSE:-}" ] && [ -f .env ] || cat >.env <<ENV
$marker
SECRET_KEY=$(openssl rand -hex 40)
POSTGRES_PASSWORD=$(openssl rand -hex 16)
ALLOWED_HOSTS=localhost
CSRF_TRUSTED_ORIGINS=https://localhost:$HTTPS_PORT
SITE_URL=https://localhost:$HTTPS_PORT
EMAIL_HOST=smtp
EMAIL_PORT=25
DEFAULT_FROM_EMAIL=noreply@magok.example.kr
# Shorter than production so that the fault test waits less for the sweeper.
OUTBOX_SEND_TIME_LIMIT=20
OUTBOX_STALE_CLAIM_SECONDS=30
OUTBOX_SWEEP_AFTER_SECONDS=15
EMAIL_TIMEOUT=10
ENV

cleanup() {
    local rc=$?
    if [ -n "${DEPLOY_KEEP:-}" ]; then  # for debugging the smoke test: SMOKE_REUSE=1 then reuses the stack
        log "DEPLOY_KEEP: leaving the stack up"
        return
    fi
    log "cleaning up (containers, pods, networks and volumes of $COMPOSE_PROJECT_NAME; images stay cached)"
    "$venv/bin/podman-compose" -f docker-compose.yml -f .ci/deploy/docker-compose.ci.yml -f docker-compose.scale.yml \
        down -v -t 5 >/dev/null 2>&1 || true
    for c in $(podman ps -aq --filter "label=io.podman.compose.project=$COMPOSE_PROJECT_NAME"); do podman rm -f "$c" >/dev/null 2>&1 || true; done
    for v in $(podman volume ls -q --filter "label=io.podman.compose.project=$COMPOSE_PROJECT_NAME"); do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
    rm -f .env
    rm -rf "$work"
    log "done, exit $rc, $(( $(date +%s) - started )) s in all"
}
trap cleanup EXIT

export PODMAN_COMPOSE="$root/$venv/bin/podman-compose"
log "smoke test"
python3 .ci/deploy/smoke.py
