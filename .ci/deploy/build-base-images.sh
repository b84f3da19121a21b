#!/usr/bin/env bash
# Builds the CI's stand-ins for the official base images from Debian's packages: a bookworm
# root file system made by debootstrap, then python (3.11), postgres (15), redis (7), haproxy
# (2.6) and the SMTP sink on top of it with apt-get. Images are tagged with a hash of this
# folder, so they are built once and reused until a file here changes. Prints the env
# assignments (PYTHON_IMAGE=... etc.) that docker-compose.yml reads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The root file system changes only with the Debian release; the images with their files here.
key="$(cd "$here" && cat images/*/* | sha256sum | cut -c1-12)"
cache="${DEPLOY_CACHE:-/var/cache/magok-deploy}"
mkdir -p "$cache"
prefix=localhost/magok-ci
debian="$prefix/debian:bookworm-minbase"

log() { echo "[base-images] $*" >&2; }

if ! podman image exists "$debian"; then
    tarball="$cache/bookworm-minbase.tar"
    if [ ! -s "$tarball" ]; then
        log "debootstrap bookworm (minbase) into $cache"
        rootfs="$cache/rootfs"
        rm -rf "$rootfs"
        debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
            || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
        printf 'deb http://deb.debian.org/debian bookworm main\ndeb http://deb.debian.org/debian bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
            >"$rootfs/etc/apt/sources.list"
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
        tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
        rm -rf "$rootfs"
    fi
    log "importing $debian"
    podman import --quiet "$tarball" "$debian" >/dev/null
fi

build() {  # build NAME: the image of images/NAME, tagged with the key
    local name="$1" tag="$prefix/$1:$key"
    if ! podman image exists "$tag"; then
        log "building $tag"
        local ctx
        ctx="$(mktemp -d)"
        cp -r "$here/images/$name/." "$ctx/"
        cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
        podman build --quiet --network=host --build-arg DEBIAN_IMAGE="$debian" -t "$tag" "$ctx" >/dev/null
        rm -rf "$ctx"
    fi
    echo "$tag"
}

echo "PYTHON_IMAGE=$(build python)"
echo "POSTGRES_IMAGE=$(build postgres)"
echo "REDIS_IMAGE=$(build redis)"
echo "HAPROXY_IMAGE=$(build haproxy)"
echo "SMTP_SINK_IMAGE=$(build smtp)"
