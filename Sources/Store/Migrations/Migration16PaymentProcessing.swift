import GRDB

/// v16: payments that Stripe reports as processing (bank debits such as SEPA and ACH settle days
/// later): the order waits here, without an invoice, until `payment_intent.succeeded` books it
/// (`succeeded`) or `payment_intent.payment_failed` ends it (`failed`). Frozen.
enum Migration16PaymentProcessing {
    static let identifier = "v16-payment-processing"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE payment_processing (
                    payment_intent_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, quote_id TEXT NOT NULL, status TEXT NOT NULL,
                    payment_method TEXT, since INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE INDEX payment_processing_order ON payment_processing(order_id);
                """)
    }
}
