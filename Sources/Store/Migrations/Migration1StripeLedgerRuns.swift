import GRDB

/// v1: the Stripe mirror, the ledger, runs, matches and discrepancies. Frozen: never edit a shipped migration.
enum Migration1StripeLedgerRuns {
    static let identifier = "v1-stripe-ledger-runs"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
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
}
