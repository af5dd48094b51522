#!/usr/bin/env bash
# `make bench-ledger`'s PostgreSQL half: a throwaway server (postgres_server.py) holding the ledger CSV's
# rows in a typed table (amount numeric, created_at timestamptz, as a marketplace's database has them),
# then `ledger-bench import-postgres` reads them back through the query a user would give.
#   bench-ledger-postgres.sh LEDGER.CSV STORE.sqlite
set -euo pipefail
csv=$1
db=$2
psql=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
coproc server { python3 "$(dirname "$0")/postgres_server.py"; }
read -r _ port <&"${server[0]}"
sql() { "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
sql -c "CREATE TABLE ledger (entry_id text PRIMARY KEY, order_id text NOT NULL, type text NOT NULL, amount numeric(14,4) NOT NULL,
  currency char(3) NOT NULL, stripe_id text, created_at timestamptz NOT NULL, supplier_id text, memo text)"
started=$(date +%s%N)
sql -c "\\copy ledger FROM '$csv' CSV HEADER"
centis=$((($(date +%s%N) - started) / 10000000))
printf 'postgres load (psql \\copy, for reference): %s rows in %d.%02d s\n' "$(sql -c 'SELECT count(*) FROM ledger')" $((centis / 100)) $((centis % 100))
LEDGER_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" ${BENCH_WRAPPER:-} "$(dirname "$0")/../.build/release/ledger-bench" import-postgres \
  --query "SELECT entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id FROM ledger" --db "$db"
exec {server[1]}>&-
wait
