import PostgresNIO

/// The payments tables in PostgreSQL: the same tables as the SQLite store's (Store's migrations 2,
/// 13 and 16), with the ledger entries `serve` books and the Stripe objects webhooks carried, which
/// in SQLite live beside the nightly run's own. Integers are BIGINT, times microseconds since 1970
/// (UTC), payloads BYTEA. Append-only tables refuse UPDATE, DELETE and TRUNCATE by triggers, so
/// history cannot be rewritten with a plain statement by anyone but the tables' owner dropping them.
enum PostgresPaymentsSchema {
    /// Each step once, in order (one statement each: the extended protocol takes one at a time); append only.
    static let steps: [[String]] = [
        [
            """
            CREATE TABLE payment_quote (
                quote_id TEXT PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL, quote TEXT NOT NULL,
                currency TEXT NOT NULL, total BIGINT NOT NULL, payment_intent_id TEXT UNIQUE, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE payment_order (
                order_id TEXT PRIMARY KEY, quote_id TEXT NOT NULL, payment_intent_id TEXT NOT NULL UNIQUE, charge_id TEXT,
                amount BIGINT NOT NULL, currency TEXT NOT NULL, card_brand TEXT, card_last4 TEXT,
                paid_at BIGINT NOT NULL, invoice_number TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)
            """,
            """
            CREATE INDEX payment_order_charge ON payment_order(charge_id)
            """,
            """
            CREATE TABLE payment_failure (
                event_id TEXT PRIMARY KEY, payment_intent_id TEXT NOT NULL, code TEXT, message TEXT, at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE document_sequence (kind TEXT PRIMARY KEY, last BIGINT NOT NULL)
            """,
            """
            CREATE TABLE document (
                number TEXT PRIMARY KEY, kind TEXT NOT NULL, order_id TEXT NOT NULL, refund_id TEXT UNIQUE,
                currency TEXT NOT NULL, total BIGINT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE INDEX document_order ON document(order_id)
            """,
            """
            CREATE TABLE payment_refund (
                request_key TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL,
                reason TEXT, status TEXT NOT NULL, refund_id TEXT UNIQUE, requested_at BIGINT NOT NULL,
                confirmed_at BIGINT, error TEXT)
            """,
            """
            CREATE INDEX payment_refund_order ON payment_refund(order_id)
            """,
            """
            CREATE TABLE webhook_event (
                event_id TEXT PRIMARY KEY, type TEXT NOT NULL, created BIGINT NOT NULL, payload BYTEA NOT NULL,
                received_at BIGINT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL DEFAULT 0, processed_at BIGINT, error TEXT)
            """,
            """
            CREATE INDEX webhook_event_due ON webhook_event(status, next_attempt_at)
            """,
            // Redeliveries are counted apart from the event's row, which a worker holds locked while it processes
            // the event: an acknowledgement never waits for processing.
            """
            CREATE TABLE webhook_redelivery (event_id TEXT PRIMARY KEY, count BIGINT NOT NULL)
            """,
            """
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY, channel TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE,
                order_id TEXT, payload BYTEA NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL, last_error TEXT, delivered_at BIGINT, created_at BIGINT NOT NULL)
            """,
            """
            CREATE INDEX outbox_due ON outbox(status, next_attempt_at)
            """,
            """
            CREATE INDEX outbox_order ON outbox(order_id)
            """,
            """
            CREATE TABLE payment_processing (
                payment_intent_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, quote_id TEXT NOT NULL, status TEXT NOT NULL,
                payment_method TEXT, since BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE INDEX payment_processing_order ON payment_processing(order_id)
            """,
            // What serve booked, in the ledger's columns; the nightly run imports it (amount_major: the amount in
            // major units, as the ledger's contract gives it, written from the same Money).
            """
            CREATE TABLE ledger_entry (
                entry_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, type TEXT NOT NULL, amount BIGINT NOT NULL,
                amount_major NUMERIC NOT NULL, currency TEXT NOT NULL, stripe_id TEXT, created_at BIGINT NOT NULL,
                supplier_id TEXT, booked_at BIGINT NOT NULL)
            """,
            """
            CREATE INDEX ledger_entry_order ON ledger_entry(order_id)
            """,
            """
            CREATE TABLE stripe_object (
                object_id TEXT PRIMARY KEY, object TEXT NOT NULL, body TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE audit_log (
                seq BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                subject TEXT NOT NULL, request_id TEXT, before TEXT, after TEXT, note TEXT)
            """,
            """
            CREATE INDEX audit_log_at ON audit_log(at)
            """,
            """
            CREATE FUNCTION payrecon_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
            END $$
            """,
            """
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION payrecon_append_only()
            """,
            """
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION payrecon_append_only()
            """,
            """
            CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
                FOR EACH ROW EXECUTE FUNCTION payrecon_append_only()
            """,
            """
            CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
                FOR EACH STATEMENT EXECUTE FUNCTION payrecon_append_only()
            """,
        ]
    ]

    /// Applies the steps the database lacks, in one transaction, under an advisory lock: replicas
    /// that start together apply each step once.
    static func migrate(_ session: PostgresSession) throws {
        try session.transaction {
            try session.query("SELECT pg_advisory_xact_lock(7079657265)")
            try session.query("CREATE TABLE IF NOT EXISTS payrecon_schema (step BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)")
            let applied = try session.row("SELECT COALESCE(MAX(step), 0) AS step FROM payrecon_schema").map { try $0.int64("step") } ?? 0
            for (index, step) in steps.enumerated() where Int64(index + 1) > applied {
                for statement in step { try session.query(PostgresQuery(unsafeSQL: statement)) }
                try session.query("INSERT INTO payrecon_schema (step, applied_at) VALUES (\(Int64(index + 1)), now())")
            }
        }
    }
}
