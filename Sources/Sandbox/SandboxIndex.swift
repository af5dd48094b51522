import Core
import Foundation

/// The account's objects pre-encoded as Stripe JSON and ordered as Stripe lists them (newest
/// first, ties by id), so that serving a page is slicing and concatenating.
struct SandboxIndex: Sendable {
    struct Entry: Sendable {
        let id: String
        let created: Int64
        let json: Data
        /// Values the list endpoints filter on (type, currency, charge, payment_intent, status).
        let fields: [String: String]
    }

    /// Per list path ("charges", "balance_transactions", ...), newest first.
    let lists: [String: [Entry]]
    let byId: [String: (list: String, entry: Entry)]
    /// Balance transaction JSON with `source` expanded to its object.
    let expandedSources: [String: Data]
    /// Balance transactions per payout, for `?payout=po_`, newest first like the lists.
    let payoutMembers: [String: [Entry]]

    init(_ data: StripeAccountData) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func entries<T: Encodable>(_ objects: [T], id: (T) -> String, created: (T) -> Int64, fields: (T) -> [String: String]) throws -> [Entry] {
            try objects.map { Entry(id: id($0), created: created($0), json: try encoder.encode($0), fields: fields($0)) }
                .sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        }
        let lists: [String: [Entry]] = [
            "balance_transactions": try entries(data.balanceTransactions, id: \.id.rawValue, created: \.created) {
                ["type": $0.type.rawValue, "currency": $0.currency.stripeCode, "source": $0.source?.id ?? ""]
            },
            "charges": try entries(data.charges, id: \.id.rawValue, created: \.created) {
                ["payment_intent": $0.paymentIntent?.id ?? "", "currency": $0.currency.stripeCode]
            },
            "refunds": try entries(data.refunds, id: \.id.rawValue, created: \.created) {
                ["charge": $0.charge?.id ?? "", "payment_intent": $0.paymentIntent?.id ?? ""]
            },
            "disputes": try entries(data.disputes, id: \.id.rawValue, created: \.created) {
                ["charge": $0.charge?.id ?? "", "payment_intent": $0.paymentIntent?.id ?? ""]
            },
            "payouts": try entries(data.payouts, id: \.id.rawValue, created: \.created) {
                ["status": $0.status.rawValue, "currency": $0.currency.stripeCode]
            },
        ]
        var byId: [String: (list: String, entry: Entry)] = [:]
        for (list, items) in lists { for item in items { byId[item.id] = (list, item) } }
        var expanded: [String: Data] = [:]
        for item in lists["balance_transactions"]! {
            guard let source = item.fields["source"], !source.isEmpty, let object = byId[source]?.entry.json else { continue }
            // Keys are sorted and ids unique, so `"source":"<id>"` occurs exactly once.
            let text = String(decoding: item.json, as: UTF8.self)
                .replacingOccurrences(of: "\"source\":\"\(source)\"", with: "\"source\":" + String(decoding: object, as: UTF8.self))
            expanded[item.id] = Data(text.utf8)
        }
        self.lists = lists
        self.byId = byId
        self.expandedSources = expanded
        self.payoutMembers = data.payoutLinks.reduce(into: [:]) { members, link in
            members[link.key.rawValue] = link.value.compactMap { byId[$0.rawValue]?.entry }.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        }
    }
}
