#!/usr/bin/env bash
# Builds the bot's container image (Dockerfile at the repository root) and, with --push, pushes it.
#
#   scripts/container-build.sh [--push] [--dry-run]
#
#   IMAGE     repository name, default mappa-bot; prefix a registry to push (myacr.azurecr.io/mappa-bot)
#   TAG       default: the commit's short hash, with -dirty when the work tree has changes
#   ENGINE    docker (default) or podman
#   ACR_NAME  build in Azure Container Registry instead (az acr build): no local engine needed
#
# --dry-run prints the commands without running them (the unit tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."

push=false
dry=false
for arg in "$@"; do
  case "$arg" in
    --push) push=true ;;
    --dry-run) dry=true ;;
    *)
      echo "unknown argument: $arg (expected --push or --dry-run)" >&2
      exit 2
      ;;
  esac
done

image="${IMAGE:-mappa-bot}"
if [ -z "${TAG:-}" ]; then
  TAG="$(git rev-parse --short=12 HEAD)"
  if [ -n "$(git status --porcelain --untracked-files=no)" ]; then TAG="$TAG-dirty"; fi
fi
if ! [[ "$TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "TAG must be a valid image tag (letters, digits, _ . -), got: $TAG" >&2
  exit 2
fi
engine="${ENGINE:-docker}"

run() {
  echo "+ $*"
  if [ "$dry" = false ]; then "$@"; fi
}

labels=(--label "org.opencontainers.image.revision=$(git rev-parse HEAD)"
  --label "org.opencontainers.image.title=mappa-bot")

if [ -n "${ACR_NAME:-}" ]; then
  # The registry builds and stores the image; the repository name drops any registry prefix.
  run az acr build --registry "$ACR_NAME" --image "${image##*/}:$TAG" --file Dockerfile .
  exit 0
fi

run "$engine" build --file Dockerfile --target runtime "${labels[@]}" --tag "$image:$TAG" .
if [ "$push" = true ]; then
  run "$engine" push "$image:$TAG"
fi
echo "image: $image:$TAG"
