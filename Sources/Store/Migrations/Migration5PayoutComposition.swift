import GRDB

/// v5: what each payout is made of, kept by the writes that change it (`PayoutCompositionTable`), so
/// that reconciling reads a row per payout instead of every link. Frozen: the SQL is a copy of the
/// composition query as v5 shipped it.
enum Migration5PayoutComposition {
    static let identifier = "v5-payout-composition"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE payout_composition (
                    payout_id TEXT PRIMARY KEY, links INTEGER NOT NULL, unknown INTEGER NOT NULL, net INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO payout_composition (payout_id, links, unknown, net)
                SELECT l.payout_id, count(*),
                       coalesce(sum(l.balance_transaction_id IS NOT p.balance_transaction AND t.id IS NULL), 0),
                       coalesce(sum(CASE WHEN l.balance_transaction_id IS NOT p.balance_transaction THEN t.net END), 0)
                FROM payout_link l JOIN stripe_payout p ON p.id = l.payout_id
                LEFT JOIN stripe_balance_transaction t ON t.id = l.balance_transaction_id
                GROUP BY l.payout_id;
                """)
    }
}
