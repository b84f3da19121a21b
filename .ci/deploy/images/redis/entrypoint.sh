#!/bin/sh
# As the official redis image does: without a config file, turn protected mode off, so that the
# other containers on the compose network may connect (the network is the boundary).
set -e
if [ "${1:-}" = "redis-server" ]; then
    shift
    set -- redis-server --protected-mode no "$@"
fi
exec "$@"
