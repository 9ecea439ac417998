#!/usr/bin/env bash
# Builds deploy/Dockerfile into the image tsunagu:ci for the image smoke tests (tests/deploy) and
# prints its tag; prints nothing when no container runtime can run here (the tests then skip and
# say why). Docker's daemon starts without a bridge or iptables rules: the containers use the
# host's network and only loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1 \
  || ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap >&2
fi
if ! docker info >/dev/null 2>&1; then
  (dockerd --bridge=none --iptables=false --ip-masq=false >/tmp/dockerd.log 2>&1 &)
  for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
if ! docker info >/dev/null 2>&1; then
  echo "NO CONTAINER RUNTIME: dockerd did not start; the image tests will skip. Its log:" >&2
  tail -20 /tmp/dockerd.log >&2 || true
  exit 0
fi
bash deploy/base-image.sh tsunagu-base:bookworm
docker build -q --network host --build-arg BASE=tsunagu-base:bookworm \
  -f deploy/Dockerfile -t tsunagu:ci . >&2
echo tsunagu:ci
