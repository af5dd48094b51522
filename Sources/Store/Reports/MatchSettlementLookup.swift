import Core
import GRDB

/// Looks up a match's balance transactions and payouts, inside the read that streams the matches: two
/// prepared statements, one probe per Stripe id (a charge, refund or dispute is the transactions' source;
/// a dispute reinstatement's match names the transactions themselves).
final class MatchSettlementLookup {
    private let bySource: RawStatement
    private let byId: RawStatement
    private static let columns =
        "t.currency, t.fee, t.net, (SELECT group_concat(l.payout_id, ' ') FROM payout_link l WHERE l.balance_transaction_id = t.id)"

    init(_ db: Database) throws {
        bySource = try RawStatement(db, "SELECT \(Self.columns) FROM stripe_balance_transaction t WHERE t.source_id = ?")
        byId = try RawStatement(db, "SELECT \(Self.columns) FROM stripe_balance_transaction t WHERE t.id = ?")
    }

    func finalize() {
        bySource.finalize()
        byId.finalize()
    }

    /// nil when none of the ids has a balance transaction (an uncaptured charge, a canceled refund).
    func settlement(of stripeIds: [String]) throws -> MatchSettlement? {
        var currency: Currency?
        var fee: Int64 = 0
        var net: Int64 = 0
        var payouts: [String] = []
        for id in stripeIds {
            let select = id.hasPrefix("txn_") ? byId : bySource
            select.bind(1, id)
            while try select.nextRow() {
                let code = select.bytes(0)
                if currency == nil { currency = try Currency(code: String(decoding: code, as: UTF8.self)) }
                fee += select.int64(1)
                net += select.int64(2)
                if !select.isNull(3) {
                    let text = String(decoding: select.bytes(3), as: UTF8.self)
                    for payout in text.split(separator: " ") where !payouts.contains(String(payout)) { payouts.append(String(payout)) }
                }
            }
        }
        guard let currency else { return nil }
        return MatchSettlement(currency: currency, fee: fee, net: net, payouts: payouts.joined(separator: " "))
    }
}
