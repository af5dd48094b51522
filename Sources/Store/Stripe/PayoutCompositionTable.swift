import GRDB

/// Keeps `payout_composition` (per payout: links, links whose transaction is not in the store, and the
/// sum of the known transactions' nets, its own transaction not counted) in step with `payout_link`,
/// `stripe_payout` and `stripe_balance_transaction`, inside the transaction that changes them.
///
/// Why it is stored: the reconciler only needs these three numbers per payout, and computing them at
/// reconcile time meant reading and joining every link (1.2 M at a million orders: a tenth of the
/// stage). A payout's composition changes only when its links or its own row are written, or when a
/// transaction it links to but the store lacked arrives; a balance transaction's amounts never change
/// in Stripe, so a known one never needs counting again.
enum PayoutCompositionTable {
    /// The three numbers as the reconciler has always computed them from the links (see `checkPayouts`).
    static let select = """
        SELECT l.payout_id, count(*),
               coalesce(sum(l.balance_transaction_id IS NOT p.balance_transaction AND t.id IS NULL), 0),
               coalesce(sum(CASE WHEN l.balance_transaction_id IS NOT p.balance_transaction THEN t.net END), 0)
        FROM payout_link l JOIN stripe_payout p ON p.id = l.payout_id
        LEFT JOIN stripe_balance_transaction t ON t.id = l.balance_transaction_id
        """

    /// Recounts the given payouts, and every payout that still waits for a transaction when `transactionsArrived`.
    static func refresh(_ payouts: some Sequence<String>, transactionsArrived: Bool, _ db: Database) throws {
        var due = Set(payouts)
        if transactionsArrived {
            due.formUnion(try String.fetchAll(db, sql: "SELECT payout_id FROM payout_composition WHERE unknown > 0"))
        }
        let clear = try db.cachedStatement(sql: "DELETE FROM payout_composition WHERE payout_id = ?")
        let count = try db.cachedStatement(
            sql: """
                INSERT INTO payout_composition (payout_id, links, unknown, net) \(select) WHERE l.payout_id = ? GROUP BY l.payout_id
                """)
        // Each transaction the payout links (its own aside) names it, unless a payout with a smaller id
        // does: the same answer whichever payout's links were written first.
        let stamp = try db.cachedStatement(
            sql: """
                UPDATE stripe_balance_transaction SET payout_id = ?1
                WHERE id IN (SELECT balance_transaction_id FROM payout_link WHERE payout_id = ?1)
                  AND id IS NOT (SELECT balance_transaction FROM stripe_payout WHERE id = ?1)
                  AND (payout_id IS NULL OR payout_id > ?1)
                """)
        for payout in due.sorted() {
            try clear.execute(arguments: [payout])
            try count.execute(arguments: [payout])
            try stamp.execute(arguments: [payout])
        }
    }
}
