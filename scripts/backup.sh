#!/usr/bin/env bash
# An online, consistent copy of the SQLite scan store, taken while the app keeps running:
#
#   scripts/backup.sh        (prints the path of the new copy)
#
# sqlite3's .backup is SQLite's online backup API: unlike a file copy of a live WAL database, it can
# neither miss commits still in the write-ahead log nor tear a page being written. The copy is
# integrity-checked, then renamed into place as BACKUP_DIR/devops-ladder-<UTC time>.db; only the
# BACKUP_KEEP newest copies are kept; it is uploaded to S3 when BACKUP_S3_BUCKET is set.
#
# Environment:
#   DATABASE_PATH      the store (default ./data/devops-ladder.db, as the app)
#   BACKUP_DIR         where copies are kept (default ./data/backups)
#   BACKUP_KEEP        how many copies to keep there (default 14)
#   BACKUP_S3_BUCKET   optional: upload the copy to s3://BUCKET/BACKUP_S3_PREFIX/ (aws CLI, its usual credentials)
#   BACKUP_S3_PREFIX   default devops-ladder
#   BACKUP_CONTAINER   optional: the store is inside this container (the app's); the copy is taken there
#                      and brought to BACKUP_DIR here (docker CLI; DOCKER_CONTEXT/DOCKER_HOST pick the host)
set -euo pipefail

die() {
  echo "backup: $*" >&2
  exit 1
}

db="${DATABASE_PATH:-./data/devops-ladder.db}"
dir="${BACKUP_DIR:-./data/backups}"
keep="${BACKUP_KEEP:-14}"
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a whole number of copies, 1 or more (got '$keep')"

mkdir -p "$dir"
# UTC time to the millisecond (GNU date); BSD date, which has no %N, gives seconds
stamp="$(date -u +%Y%m%dT%H%M%S.%3NZ)"
if [[ $stamp == *N* ]]; then
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
fi
file="$dir/devops-ladder-$stamp.db"
n=1
while [[ -e $file ]]; do
  file="$dir/devops-ladder-$stamp-$n.db"
  n=$((n + 1))
done
partial="$(mktemp "$dir/.partial-XXXXXX")"
trap 'rm -f "$partial"' EXIT

if [[ -n ${BACKUP_CONTAINER:-} ]]; then
  inside="/tmp/devops-ladder-backup-$stamp.db"
  docker exec "$BACKUP_CONTAINER" sqlite3 "$db" ".backup '$inside'"
  docker cp "$BACKUP_CONTAINER:$inside" "$partial"
  docker exec "$BACKUP_CONTAINER" rm -f "$inside"
else
  [[ -f $db ]] || die "no database at $db (set DATABASE_PATH)"
  sqlite3 "$db" ".backup '$partial'"
fi

check="$(sqlite3 "$partial" 'PRAGMA integrity_check')"
[[ $check == ok ]] || die "the copy fails its integrity check: $check"
mv "$partial" "$file"
trap - EXIT
echo "$file"

# retention: the newest copies stay, by modification time
count=0
while IFS= read -r old; do
  count=$((count + 1))
  if ((count > keep)); then
    rm -f -- "$old"
  fi
done < <(ls -1t -- "$dir"/devops-ladder-*.db)

if [[ -n ${BACKUP_S3_BUCKET:-} ]]; then
  aws s3 cp --only-show-errors "$file" "s3://$BACKUP_S3_BUCKET/${BACKUP_S3_PREFIX:-devops-ladder}/$(basename "$file")"
fi
