import Core
import Foundation
import StripeAPI

/// The lists a pull reads, and the one place that knows which record type each holds: a page's body, a
/// retrieved object and a snapshot's line all become `StripeAccountData` through it.
enum PulledList: String, CaseIterable, Sendable {
    case balanceTransactions = "balance_transactions"
    case charges, refunds, disputes, payouts

    var path: String { "/v1/\(rawValue)" }

    /// The watermark's object name.
    var object: String {
        switch self {
        case .balanceTransactions: "balance_transaction"
        case .charges: "charge"
        case .refunds: "refund"
        case .disputes: "dispute"
        case .payouts: "payout"
        }
    }

    /// Every page of balance transactions carries its source, as DESIGN's Stripe rules say.
    var query: [(String, String)] { self == .balanceTransactions ? [("expand[]", "data.source")] : [] }

    /// A page's objects, with their times and ids (newest first) for the window's checkpoint.
    struct Page {
        var data = StripeAccountData()
        var created: [Int64] = []
        var ids: [String] = []
        var hasMore = false
    }

    func page(_ body: Data) throws -> Page {
        func decoded<T: Codable & Sendable & StripeCreated & Identifiable>(_ type: T.Type, _ keep: ([T], inout StripeAccountData) -> Void) throws
            -> Page
        where T.ID: CustomStringConvertible {
            let list: StripeList<T> = try StripeClient.decode(body, path: path)
            var page = Page(created: list.data.map(\.created), ids: list.data.map { String(describing: $0.id) }, hasMore: list.hasMore)
            keep(list.data, &page.data)
            return page
        }
        switch self {
        case .balanceTransactions: return try decoded(BalanceTransaction.self) { $1.balanceTransactions = $0 }
        case .charges: return try decoded(Charge.self) { $1.charges = $0 }
        case .refunds: return try decoded(Refund.self) { $1.refunds = $0 }
        case .disputes: return try decoded(Dispute.self) { $1.disputes = $0 }
        case .payouts: return try decoded(Payout.self) { $1.payouts = $0 }
        }
    }

    /// One object (a retrieve's body, a snapshot's line) appended to `data`.
    func append(_ object: Data, to data: inout StripeAccountData, decoder: JSONDecoder) throws {
        switch self {
        case .balanceTransactions: data.balanceTransactions.append(try decoder.decode(BalanceTransaction.self, from: object))
        case .charges: data.charges.append(try decoder.decode(Charge.self, from: object))
        case .refunds: data.refunds.append(try decoder.decode(Refund.self, from: object))
        case .disputes: data.disputes.append(try decoder.decode(Dispute.self, from: object))
        case .payouts: data.payouts.append(try decoder.decode(Payout.self, from: object))
        }
    }
}
