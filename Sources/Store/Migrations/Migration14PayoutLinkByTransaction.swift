import GRDB

/// v14: payout links findable by their transaction, so the Matched sheet can say which payout a match's
/// money went out in (one probe a match). Frozen.
enum Migration14PayoutLinkByTransaction {
    static let identifier = "v14-payout-link-by-transaction"

    static func run(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX payout_link_transaction ON payout_link(balance_transaction_id, payout_id)")
    }
}
