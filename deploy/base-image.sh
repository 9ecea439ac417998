#!/usr/bin/env bash
# Makes the base image tsunagu-base:bookworm (Debian with Python 3.11 and venv) from the system's
# own Debian mirror with debootstrap, for machines that can reach a package mirror but no container
# registry. Then: docker build --build-arg BASE=tsunagu-base:bookworm -f deploy/Dockerfile -t tsunagu .
# Needs root, debootstrap and a running Docker daemon. The image trusts the same certificate
# authorities as this machine, so pip inside the build reaches PyPI the way this machine does.
set -euo pipefail
tag=${1:-tsunagu-base:bookworm}
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag exists" >&2
  exit 0
fi
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$root" "$mirror" >&2
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$tag" >&2
echo "made $tag from $mirror" >&2
