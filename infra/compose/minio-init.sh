#!/bin/sh
# DEV ONLY (compose service minio-init, image minio/mc): idempotent S3 setup on MinIO.
#  - auditrail-archive: versioning + Object Lock (default retention LOCK_MODE / ARCHIVE_LOCK_DAYS)
#  - vault-snapshots:   versioning + Object Lock (SNAPSHOT_LOCK_DAYS) for the encrypted Raft snapshots
#  - users "auditrail" and "vault-snapshot", each confined to its bucket, without delete rights
#  - user "auditrail-reader" (serve): read and list the archive bucket, nothing else
# MinIO enforces Object Lock; production uses COMPLIANCE mode and years of retention on real S3.
# Object Lock can only be switched on when a bucket is created; an existing bucket without it is an error.
set -eu

alias_name=local
attempt=0
until mc alias set "$alias_name" "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "minio-init: MinIO at $MINIO_URL not reachable" >&2
    exit 1
  fi
  sleep 2
done

locked_bucket() {
  bucket=$1
  days=$2
  mc mb --ignore-existing --with-lock "$alias_name/$bucket"
  if ! mc retention info --default "$alias_name/$bucket" >/dev/null 2>&1; then
    echo "minio-init: bucket $bucket exists without Object Lock; recreate it (dev) or migrate its objects" >&2
    exit 1
  fi
  mc version enable "$alias_name/$bucket"
  mc retention set --default "$LOCK_MODE" "${days}d" "$alias_name/$bucket"
}

locked_bucket "$ARCHIVE_BUCKET" "$ARCHIVE_LOCK_DAYS"
locked_bucket "$SNAPSHOT_BUCKET" "$SNAPSHOT_LOCK_DAYS"

policy_file=$(mktemp)
# write_policy NAME BUCKET: read/write/list, no delete, no retention bypass.
write_policy() {
  cat >"$policy_file" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketVersioning"],
     "Resource": ["arn:aws:s3:::$2"]},
    {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectRetention", "s3:PutObjectRetention"],
     "Resource": ["arn:aws:s3:::$2/*"]}
  ]
}
JSON
  mc admin policy create "$alias_name" "$1" "$policy_file" >/dev/null
}

# ensure_user NAME SECRET POLICY
ensure_user() {
  mc admin user add "$alias_name" "$1" "$2" >/dev/null
  mc admin policy attach "$alias_name" "$3" --user "$1" >/dev/null 2>&1 || true
}

# read_policy NAME BUCKET: read/list only (serve reads the archive; it must not be able to change it).
read_policy() {
  cat >"$policy_file" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": ["arn:aws:s3:::$2"]},
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::$2/*"]}
  ]
}
JSON
  mc admin policy create "$alias_name" "$1" "$policy_file" >/dev/null
}

write_policy auditrail-archive-rw "$ARCHIVE_BUCKET"
read_policy auditrail-archive-ro "$ARCHIVE_BUCKET"
write_policy vault-snapshots-rw "$SNAPSHOT_BUCKET"
ensure_user auditrail "$ARCHIVE_USER_SECRET" auditrail-archive-rw
ensure_user auditrail-reader "$ARCHIVE_READER_SECRET" auditrail-archive-ro
ensure_user vault-snapshot "$SNAPSHOT_USER_SECRET" vault-snapshots-rw
rm -f "$policy_file"
echo "minio-init: buckets $ARCHIVE_BUCKET and $SNAPSHOT_BUCKET ready (versioning, Object Lock $LOCK_MODE)"
