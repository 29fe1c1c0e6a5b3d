#!/usr/bin/env bash
# Manual rollback: redeploys the image that ran before the current one (recorded by scripts/deploy.sh on
# the container), or the tag given. The redeploy is a normal deploy: health-checked, rolled back if unhealthy.
#
#   scripts/rollback.sh staging|production [IMAGE_TAG]
#
# Same environment as scripts/deploy.sh (HEALTH_URL, DEPLOY_ENV_FILE, DOCKER_CONTEXT, DEPLOY_RUNTIME …).
# Rolling back twice goes forward again: the rolled-back-from image becomes the "previous" one.
set -euo pipefail

usage() {
  echo "usage: $0 staging|production [IMAGE_TAG]" >&2
  exit 64
}

docker() {
  command "${DEPLOY_RUNTIME:-docker}" "$@"
}

environment="${1:-}"
case "$environment" in
  staging | production) ;;
  *) usage ;;
esac
context="${DOCKER_CONTEXT:-devops-ladder-$environment}"
target="${2:-}"

if [[ -z $target ]]; then
  target="$(docker --context "$context" inspect --format '{{index .Config.Labels "org.devops-ladder.previous-image"}}' devops-ladder)"
  if [[ -z $target || $target == "<no value>" ]]; then
    echo "rollback: the running container records no previous image; name the tag to go back to" >&2
    exit 1
  fi
fi
echo "rollback: $environment goes back to $target"
exec "$(dirname "$0")/deploy.sh" "$environment" "$target"
