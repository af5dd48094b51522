import Core
import GRDB

/// A dispute of the period and what it moved: the sums of its balance transactions (the withdrawal,
/// its fee, a won dispute's reinstatement) in the settlement currency. An inquiry has none.
public struct DisputeSummary: Hashable, Sendable {
    public let dispute: Dispute
    public let orderId: String?
    /// nil when no balance transaction moved (an inquiry, or a dispute whose withdrawal is not in the store).
    public let settlementCurrency: Currency?
    public let transactionCount: Int
    public let withdrawn: Int64
    public let reinstated: Int64
    public let fee: Int64
    public let net: Int64
}

extension PayreconStore {
    /// The period's disputes, oldest first, each with its balance transactions summed (`Columns.dispute`'s
    /// columns first, for `dispute(_:)`).
    public func disputeSummaries(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [DisputeSummary] {
        try read("read the period's disputes") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.amount, d.currency, d.charge_id, d.payment_intent, d.status, d.reason, d.created,
                      c.order_id, min(t.currency) AS settlement, count(t.id) AS n,
                      coalesce(sum(CASE WHEN t.amount < 0 THEN t.amount END), 0) AS withdrawn,
                      coalesce(sum(CASE WHEN t.amount > 0 THEN t.amount END), 0) AS reinstated,
                      coalesce(sum(t.fee), 0) AS fee, coalesce(sum(t.net), 0) AS net
                    FROM stripe_dispute d
                    LEFT JOIN stripe_charge c ON c.id = d.charge_id
                    LEFT JOIN stripe_balance_transaction t ON t.source_id = d.id
                    WHERE d.created >= ? AND d.created < ?
                    GROUP BY d.id ORDER BY d.created, d.id
                    """, arguments: [start.seconds, end.seconds]
            ).map { row in
                let settlement: String? = row["settlement"]
                return DisputeSummary(
                    dispute: try Self.dispute(row), orderId: row["order_id"],
                    settlementCurrency: settlement == nil ? nil : try Self.currency(row, "settlement"), transactionCount: row["n"],
                    withdrawn: row["withdrawn"], reinstated: row["reinstated"], fee: row["fee"], net: row["net"])
            }
        }
    }
}
