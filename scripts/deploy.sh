#!/usr/bin/env bash
# Deploys one image of devops-ladder to an environment, and keeps it only if it answers /healthz:
#
#   scripts/deploy.sh staging|production IMAGE_TAG
#
# IMAGE_TAG is a tag of $IMAGE_REPOSITORY (v1.4.0, sha-1a2b3c4) or a full image reference.
# The target is the Docker engine of the environment's host, through the docker context
# devops-ladder-<environment> (`docker context create devops-ladder-production --docker host=ssh://deploy@host`).
# Before the old container goes, the store is backed up on its volume (scripts/backup.sh in the container).
# When the new container does not answer HEALTH_URL within HEALTH_TIMEOUT seconds, the image that ran
# before is started again and the script exits 1: a failed deploy rolls back by itself.
#
# Environment:
#   HEALTH_URL        the environment's public /healthz URL (required)
#   DEPLOY_ENV_FILE   the app's settings and secrets as KEY=value lines (required; docs/operations.md)
#   IMAGE_REPOSITORY  default ghcr.io/devops-ladder/devops-ladder
#   DOCKER_CONTEXT    default devops-ladder-<environment>
#   APP_PORT          host port of the app, default 3000
#   HEALTH_TIMEOUT    seconds to wait for /healthz, default 120; HEALTH_INTERVAL between tries, default 5
#   DEPLOY_RUNTIME    the container CLI, default docker (any docker-compatible CLI, or a test's stub)
set -euo pipefail

usage() {
  echo "usage: $0 staging|production IMAGE_TAG" >&2
  exit 64
}

die() {
  echo "deploy: $*" >&2
  exit 1
}

# every container command goes through the runtime named by DEPLOY_RUNTIME
docker() {
  command "${DEPLOY_RUNTIME:-docker}" "$@"
}

environment="${1:-}"
case "$environment" in
  staging | production) ;;
  *) usage ;;
esac
tag="${2:-}"
[[ -n $tag ]] || usage
[[ -n ${HEALTH_URL:-} ]] || die "HEALTH_URL must be the /healthz URL of $environment"
[[ -r ${DEPLOY_ENV_FILE:-} ]] || die "DEPLOY_ENV_FILE must name a readable file with the app's settings"

# a tag never contains ':' or '/': anything that does is already a full reference
if [[ $tag == *[:/]* ]]; then
  image="$tag"
else
  image="${IMAGE_REPOSITORY:-ghcr.io/devops-ladder/devops-ladder}:$tag"
fi
context="${DOCKER_CONTEXT:-devops-ladder-$environment}"
name=devops-ladder
run_args=(
  --detach --name "$name" --init --restart unless-stopped
  --env-file "$DEPLOY_ENV_FILE" --env DATABASE_PATH=/data/devops-ladder.db --env BACKUP_DIR=/data/backups
  --volume devops-ladder-data:/data --publish "${APP_PORT:-3000}:3000"
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=5
)

# true once HEALTH_URL answers 2xx; false when HEALTH_TIMEOUT passes first
healthy() {
  local deadline=$((SECONDS + ${HEALTH_TIMEOUT:-120}))
  until curl --fail --silent --show-error --max-time 5 --output /dev/null "$HEALTH_URL"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep "${HEALTH_INTERVAL:-5}"
  done
}

# what runs now (image and whether it is up), or nothing on a first deploy
current="$(docker --context "$context" inspect --format '{{.Config.Image}} {{.State.Running}}' "$name" 2>/dev/null || true)"
read -r previous_image previous_running <<<"$current" || true
echo "deploy: $image to $environment (context $context); running now: ${previous_image:-nothing}"

# fetch first: an image that cannot be pulled fails the deploy before anything stops
docker --context "$context" pull "$image"

if [[ ${previous_running:-} == true ]]; then
  # a consistent copy of the store, on its volume, before the new version can migrate it
  docker --context "$context" exec "$name" /app/scripts/backup.sh
elif [[ -n $previous_image ]]; then
  echo "deploy: $name is not running: no pre-deploy backup (the nightly ones remain)" >&2
fi
if [[ -n $previous_image ]]; then
  docker --context "$context" rm --force "$name"
fi
docker --context "$context" run "${run_args[@]}" --label "org.devops-ladder.previous-image=$previous_image" "$image"

if ! healthy; then
  echo "deploy: $image did not answer $HEALTH_URL in ${HEALTH_TIMEOUT:-120}s: rolling back" >&2
  docker --context "$context" logs --tail 100 "$name" >&2 || true
  docker --context "$context" rm --force "$name"
  [[ -n $previous_image ]] || die "nothing ran before $image: nothing to roll back to"
  docker --context "$context" run "${run_args[@]}" "$previous_image"
  if healthy; then
    echo "deploy: rolled back to $previous_image" >&2
  else
    echo "deploy: $previous_image does not answer either: see docs/operations.md#when-a-rollback-fails" >&2
  fi
  exit 1
fi
echo "deploy: $image is live on $environment"
