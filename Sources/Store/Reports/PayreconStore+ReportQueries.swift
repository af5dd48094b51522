import Core
import Foundation
import GRDB

/// A payout with the sum of what it paid out, for the Payouts sheet.
public struct PayoutSummary: Hashable, Sendable {
    public let payout: Payout
    public let transactionCount: Int
    /// Sum of the nets of its linked transactions, without the payout's own transaction.
    public let linkedNet: Int64
    public var difference: Int64 { payout.amount - linkedNet }
}

/// Gross, fee and net of balance transactions of one reporting category and currency.
public struct CategoryTotal: Hashable, Sendable {
    public let category: String
    public let currency: Currency
    public let count: Int
    public let gross: Int64
    public let fee: Int64
    public let net: Int64
}

extension PayreconStore {
    /// Each payout of the period with its linked transactions summed, from the sums the writes keep
    /// (`payout_composition`, as the reconciler reads them): counting them here again probed a million
    /// links, 1.6 s of the report at a million orders. The count leaves out the payout's own transaction
    /// and the linked ones not in the store, as the sum does.
    public func payoutSummaries(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [PayoutSummary] {
        try read("load payouts") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Columns.payout.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                      coalesce(c.links - c.unknown - EXISTS (
                        SELECT 1 FROM payout_link l WHERE l.payout_id = p.id AND l.balance_transaction_id = p.balance_transaction), 0) AS link_count,
                      coalesce(c.net, 0) AS linked_net
                    FROM stripe_payout p LEFT JOIN payout_composition c ON c.payout_id = p.id
                    WHERE p.created >= ? AND p.created < ? ORDER BY p.created, p.id
                    """, arguments: [start.seconds, end.seconds]
            ).map { row in
                PayoutSummary(payout: try Self.payout(row), transactionCount: row["link_count"], linkedNet: row["linked_net"])
            }
        }
    }

    public func categoryTotals(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [CategoryTotal] {
        try read("total balance transactions") { db in
            let window = try TimeWindowClause.make(
                db, table: "stripe_balance_transaction", column: "created", first: start.seconds, last: end.seconds)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT coalesce(reporting_category, type) AS category, currency, count(*) AS n, sum(amount) AS gross,
                      sum(fee) AS fee, sum(net) AS net FROM stripe_balance_transaction WHERE \(window.clause)
                    GROUP BY 1, 2 ORDER BY 1, 2
                    """, arguments: [start.seconds, end.seconds]
            ).map { row in
                CategoryTotal(
                    category: row["category"], currency: try Self.currency(row, "currency"), count: row["n"],
                    gross: row["gross"], fee: row["fee"], net: row["net"])
            }
        }
    }

    /// Ledger entries booked in the period, by type, for the match rate.
    public func ledgerCounts(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [String: Int] {
        try read("count ledger entries") { db in
            var counts: [String: Int] = [:]
            let window = try TimeWindowClause.make(
                db, table: "ledger_entry", column: "created_at", first: start.microseconds, last: end.microseconds)
            for row in try Row.fetchAll(
                db, sql: "SELECT type, count(*) FROM ledger_entry WHERE \(window.clause) GROUP BY type",
                arguments: [start.microseconds, end.microseconds])
            {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}

extension PayreconStore {
    /// The period's charges captured below their authorization, by id, with the amount authorized: the
    /// Matched sheet shows both figures for them (few; the match itself holds what was captured).
    public func partialCaptures(from start: Timestamp, to end: Timestamp) throws(StoreError) -> PartialCaptures {
        try read("read partial captures") { db in
            var captures = PartialCaptures()
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, amount, amount_captured FROM stripe_charge INDEXED BY stripe_charge_partial_capture
                    WHERE created >= ? AND created < ? AND amount_captured < amount AND status = 'succeeded' AND (captured IS NULL OR captured != 0)
                    """, arguments: [start.seconds, end.seconds])
            {
                captures.authorized[row[0]] = row[1]
                captures.capturedAmounts.insert(row[2])
            }
            return captures
        }
    }
}

/// The period's charges captured below their authorization: the amount authorized by charge id, and
/// the amounts captured, which let a match of another amount skip the lookup (a million matches, a
/// handful of partial captures).
public struct PartialCaptures: Sendable {
    public var authorized: [String: Int64] = [:]
    public var capturedAmounts: Set<Int64> = []

    /// The amount authorized when `match` is a partial capture's.
    public func authorized(for match: Match) -> Int64? {
        guard capturedAmounts.contains(match.stripeAmount.minorUnits) else { return nil }
        return match.stripeIds.lazy.compactMap { authorized[$0] }.first
    }
}
