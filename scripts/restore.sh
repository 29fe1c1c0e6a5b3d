#!/usr/bin/env bash
# Restores a backup (from scripts/backup.sh) into the store, safely:
#
#   scripts/restore.sh BACKUP_FILE
#
# Stop the app first (docs/operations.md#restore). The backup is copied next to DATABASE_PATH, checked
# (SQLite integrity, and that it is a devops-ladder store), and only then renamed over the store in one
# atomic step. The store it replaces is kept aside as <store>.before-restore-<UTC time>.
#
# Environment:
#   DATABASE_PATH   the store (default ./data/devops-ladder.db, as the app)
#   RESTORE_FORCE   set to 1 to restore although a write-ahead log says the store is open (a crashed app)
set -euo pipefail

die() {
  echo "restore: $*" >&2
  exit 1
}

backup="${1:-}"
[[ -n $backup ]] || die "usage: $0 BACKUP_FILE"
[[ -f $backup ]] || die "no backup file at $backup"
db="${DATABASE_PATH:-./data/devops-ladder.db}"

# a write-ahead log next to the store means a connection has it open (or died with it open)
if [[ -s "$db-wal" && ${RESTORE_FORCE:-0} != 1 ]]; then
  die "$db looks open ($db-wal exists): stop the app first, or set RESTORE_FORCE=1 if it crashed"
fi

mkdir -p "$(dirname "$db")"
staged="$(mktemp "$db.restore-XXXXXX")"
trap 'rm -f "$staged" "$staged-wal" "$staged-shm"' EXIT
cp -- "$backup" "$staged"

check="$(sqlite3 "$staged" 'PRAGMA integrity_check')"
[[ $check == ok ]] || die "$backup fails its integrity check: $check"
version="$(sqlite3 "$staged" 'SELECT coalesce(max(version), 0) FROM schema_migrations')" ||
  die "$backup is not a devops-ladder store (no schema_migrations table)"
scans="$(sqlite3 "$staged" 'SELECT count(*) FROM scans')"

if [[ -e $db ]]; then
  aside="$db.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv -- "$db" "$aside"
  # the old store's log and index belong to it: replayed into the restored file they would corrupt it
  for suffix in -wal -shm; do
    if [[ -e "$db$suffix" ]]; then
      mv -- "$db$suffix" "$aside$suffix"
    fi
  done
  echo "restore: the previous store is kept as $aside"
fi
mv -- "$staged" "$db"
trap - EXIT
echo "restore: $db now holds $backup (schema version $version, $scans scans)"
