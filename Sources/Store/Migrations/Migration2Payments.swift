import GRDB

/// v2: the payments companion's tables. Frozen: never edit a shipped migration.
enum Migration2Payments {
    static let identifier = "v2-payments"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
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
}
