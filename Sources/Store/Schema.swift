import Core
import GRDB

/// The schema, as a list of migrations. Append a migration; never edit one that has shipped.
/// Money is INTEGER minor units beside a TEXT currency; times are INTEGER (seconds for Stripe's,
/// microseconds for the ledger's and payrecon's own), all UTC.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-stripe-ledger-runs") { db in
            try db.execute(sql: """
                CREATE TABLE stripe_balance_transaction (
                    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, currency TEXT NOT NULL, net INTEGER NOT NULL,
                    fee INTEGER NOT NULL, exchange_rate TEXT, created INTEGER NOT NULL, available_on INTEGER,
                    status TEXT, type TEXT NOT NULL, reporting_category TEXT, source_id TEXT, description TEXT);
                CREATE INDEX stripe_balance_transaction_created ON stripe_balance_transaction(created);
                CREATE INDEX stripe_balance_transaction_source ON stripe_balance_transaction(source_id);
                CREATE TABLE stripe_charge (
                    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, amount_refunded INTEGER, currency TEXT NOT NULL,
                    status TEXT NOT NULL, captured INTEGER, created INTEGER NOT NULL, payment_intent TEXT,
                    balance_transaction TEXT, order_id TEXT, metadata TEXT, failure_code TEXT,
                    card_brand TEXT, card_last4 TEXT);
                CREATE INDEX stripe_charge_created ON stripe_charge(created);
                CREATE INDEX stripe_charge_order ON stripe_charge(order_id);
                CREATE TABLE stripe_refund (
                    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, currency TEXT NOT NULL, charge_id TEXT,
                    payment_intent TEXT, status TEXT, created INTEGER NOT NULL, balance_transaction TEXT,
                    reason TEXT, metadata TEXT);
                CREATE INDEX stripe_refund_created ON stripe_refund(created);
                CREATE TABLE stripe_dispute (
                    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, currency TEXT NOT NULL, charge_id TEXT,
                    payment_intent TEXT, status TEXT NOT NULL, reason TEXT, created INTEGER NOT NULL,
                    balance_transaction_ids TEXT);
                CREATE INDEX stripe_dispute_created ON stripe_dispute(created);
                CREATE TABLE stripe_payout (
                    id TEXT PRIMARY KEY, amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL,
                    created INTEGER NOT NULL, arrival_date INTEGER, balance_transaction TEXT,
                    failure_balance_transaction TEXT, failure_code TEXT, failure_message TEXT,
                    reconciliation_status TEXT, reversed_by TEXT);
                CREATE INDEX stripe_payout_created ON stripe_payout(created);
                CREATE TABLE payout_link (
                    payout_id TEXT NOT NULL, balance_transaction_id TEXT NOT NULL,
                    PRIMARY KEY (payout_id, balance_transaction_id)) WITHOUT ROWID;
                CREATE TABLE extract_watermark (
                    object TEXT PRIMARY KEY, max_created INTEGER NOT NULL, extracted_at INTEGER NOT NULL);

                CREATE TABLE ledger_import (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, imported_at INTEGER NOT NULL,
                    row_count INTEGER NOT NULL);
                CREATE TABLE ledger_entry (
                    entry_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, type TEXT NOT NULL, amount INTEGER NOT NULL,
                    currency TEXT NOT NULL, stripe_id TEXT, created_at INTEGER NOT NULL, supplier_id TEXT,
                    import_id INTEGER NOT NULL REFERENCES ledger_import(id));
                CREATE INDEX ledger_entry_created ON ledger_entry(created_at);

                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, stage TEXT NOT NULL, started_at INTEGER NOT NULL,
                    finished_at INTEGER, status TEXT NOT NULL, parameters TEXT NOT NULL, summary TEXT);
                CREATE TABLE match (
                    id TEXT PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES run(id), rule TEXT NOT NULL,
                    match_key TEXT NOT NULL, order_id TEXT, ledger_entry_ids TEXT NOT NULL, stripe_ids TEXT NOT NULL,
                    currency TEXT NOT NULL, ledger_amount INTEGER NOT NULL, stripe_currency TEXT NOT NULL,
                    stripe_amount INTEGER NOT NULL, occurred_at INTEGER NOT NULL);
                CREATE INDEX match_occurred ON match(occurred_at);
                CREATE TABLE discrepancy (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, subject_id TEXT NOT NULL,
                    order_id TEXT, ledger_entry_id TEXT, stripe_id TEXT, currency TEXT NOT NULL,
                    expected_currency TEXT, expected_amount INTEGER, actual_amount INTEGER,
                    occurred_at INTEGER NOT NULL, detail TEXT NOT NULL, status TEXT NOT NULL,
                    first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, last_run_id INTEGER NOT NULL,
                    note TEXT, resolved_by TEXT, resolved_at INTEGER);
                CREATE INDEX discrepancy_occurred ON discrepancy(occurred_at);
                -- Append-only history of every state change of a discrepancy: auditors read it, nobody edits it.
                CREATE TABLE discrepancy_event (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, discrepancy_id TEXT NOT NULL, run_id INTEGER,
                    at INTEGER NOT NULL, status TEXT NOT NULL, actor TEXT NOT NULL, note TEXT);
                """)
        }
        migrator.registerMigration("v2-payments") { db in
            try db.execute(sql: """
                -- Approved quotes asked to be paid, with the amount payrecon computed and the PaymentIntent made for it.
                CREATE TABLE payment_quote (
                    quote_id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL, quote TEXT NOT NULL,
                    currency TEXT NOT NULL, total INTEGER NOT NULL, payment_intent_id TEXT UNIQUE,
                    created_at INTEGER NOT NULL);
                -- Orders exist once Stripe said the payment succeeded; the invoice number is given in the same transaction.
                CREATE TABLE payment_order (
                    order_id TEXT PRIMARY KEY, quote_id TEXT NOT NULL, payment_intent_id TEXT NOT NULL UNIQUE, charge_id TEXT,
                    amount INTEGER NOT NULL, currency TEXT NOT NULL, card_brand TEXT, card_last4 TEXT,
                    paid_at INTEGER NOT NULL, invoice_number TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
                CREATE TABLE payment_failure (
                    event_id TEXT PRIMARY KEY, payment_intent_id TEXT NOT NULL, code TEXT, message TEXT, at INTEGER NOT NULL);
                -- Invoices and credit notes: numbered per kind without gaps (document_sequence), the PDF on disk.
                CREATE TABLE document_sequence (kind TEXT PRIMARY KEY, last INTEGER NOT NULL);
                CREATE TABLE document (
                    number TEXT PRIMARY KEY, kind TEXT NOT NULL, order_id TEXT NOT NULL, refund_id TEXT UNIQUE,
                    currency TEXT NOT NULL, total INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, created_at INTEGER NOT NULL);
                -- Refund requests, keyed by the caller's request key; the amount is reserved before Stripe is called.
                CREATE TABLE payment_refund (
                    request_key TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL,
                    reason TEXT, status TEXT NOT NULL, refund_id TEXT UNIQUE, requested_at INTEGER NOT NULL,
                    confirmed_at INTEGER, error TEXT);
                CREATE INDEX payment_refund_order ON payment_refund(order_id);
                -- The webhook inbox: every event once, by id, before it is acknowledged.
                CREATE TABLE webhook_event (
                    event_id TEXT PRIMARY KEY, type TEXT NOT NULL, created INTEGER NOT NULL, payload BLOB NOT NULL,
                    received_at INTEGER NOT NULL, deliveries INTEGER NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL DEFAULT 0, processed_at INTEGER, error TEXT);
                CREATE INDEX webhook_event_status ON webhook_event(status, next_attempt_at);
                -- Emails and supplier notifications waiting to go out, with their delivery state.
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE,
                    order_id TEXT, payload BLOB NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                    next_attempt_at INTEGER NOT NULL, last_error TEXT, delivered_at INTEGER, created_at INTEGER NOT NULL);
                CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
                """)
        }
        migrator.registerMigration("v3-match-content-hash") { db in
            // Lets a run skip the matches that did not change since the last run of the period.
            try db.execute(sql: "ALTER TABLE match ADD COLUMN content_hash INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v4-match-clustered") { db in
            // One B-tree clustered on (occurred_at, key_hash) instead of a rowid table with a text primary key
            // and a time index: a million matches are a third of the pages, written in key order. The id is
            // not stored; it follows from the rule and the members, and key_hash is its FNV-1a 64.
            db.add(function: DatabaseFunction("payrecon_fnv1a64", argumentCount: 1, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0]) else { return nil }
                var hash = FNV.offset
                FNV.mix(text, into: &hash)
                return Int64(bitPattern: hash)
            })
            try db.execute(sql: """
                CREATE TABLE match_clustered (
                    occurred_at INTEGER NOT NULL, key_hash INTEGER NOT NULL, run_id INTEGER NOT NULL REFERENCES run(id),
                    rule TEXT NOT NULL, match_key TEXT NOT NULL, order_id TEXT, ledger_entry_ids TEXT NOT NULL, stripe_ids TEXT NOT NULL,
                    currency TEXT NOT NULL, ledger_amount INTEGER NOT NULL, stripe_currency TEXT NOT NULL, stripe_amount INTEGER NOT NULL,
                    content_hash INTEGER NOT NULL, PRIMARY KEY (occurred_at, key_hash)) WITHOUT ROWID;
                -- content_hash 0: the next run of a period rewrites its rows once with the new hash.
                INSERT OR REPLACE INTO match_clustered SELECT occurred_at, payrecon_fnv1a64(id), run_id, rule, match_key, order_id,
                    ledger_entry_ids, stripe_ids, currency, ledger_amount, stripe_currency, stripe_amount, 0 FROM match;
                DROP TABLE match;
                ALTER TABLE match_clustered RENAME TO match;
                """)
        }
        migrator.registerMigration("v5-payout-composition") { db in
            // What each payout is made of, kept by the writes that change it (`PayoutCompositionTable`), so that
            // reconciling reads a row per payout instead of every link.
            try db.execute(sql: """
                CREATE TABLE payout_composition (
                    payout_id TEXT PRIMARY KEY, links INTEGER NOT NULL, unknown INTEGER NOT NULL, net INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO payout_composition (payout_id, links, unknown, net) \(PayoutCompositionTable.select) GROUP BY l.payout_id;
                """)
        }
        migrator.registerMigration("v6-match-blocks") { db in
            // A row per 15-minute slot of matches instead of a row per match; `match` becomes a view.
            try MatchBlockMigration.run(db)
        }
        return migrator
    }
}
