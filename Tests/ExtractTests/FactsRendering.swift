import Core
import Extract
import Facts
import Foundation
import SandboxData
import Store
import TestSupport

/// What the fact-loading tests share: a store filled with a sandbox account, and facts as text lines.
enum FactsRendering {
    static func filledStore(_ account: SandboxAccount) throws -> PayreconStore {
        let store = try PayreconStore(path: TestScratch.directory.appendingPathComponent("facts-\(UUID().uuidString).sqlite").path)
        let now = Timestamp(seconds: 1_800_000_000)
        try store.saveStripe(account.stripe, at: now)
        _ = try store.importLedger(try LedgerParser(fileName: "ledger.csv").parse(Array(account.ledgerCSV().utf8)), source: "test", at: now)
        return store
    }

    /// Every fact with its ids as text, and as numbers too when `numbered` (the same load must number
    /// alike); `sorted`: each kind in text order (for loaders that read rows in different orders).
    static func lines(_ facts: ReconcileFacts, numbered: Bool, sorted: Bool) -> [String] {
        let ids = facts.ids
        func id(_ n: FactID) -> String { (numbered ? "\(n.raw):" : "") + (ids.optionalString(n) ?? "-") }
        func kind(_ lines: [String]) -> [String] { sorted ? lines.sorted() : lines }
        let ledger: [String] = facts.ledger.map {
            "L \(id($0.entry)) \(id($0.order)) \(id($0.stripeId)) \($0.kind) \($0.money) \($0.createdAt.value)"
        }
        let charges: [String] = facts.charges.map {
            "C \(id($0.id)) \(id($0.order)) \(id($0.paymentIntent)) \($0.isPayment) \($0.isAuthorization) \($0.money) \($0.authorized) "
                + "\($0.cardCountry) \($0.created.value)"
        }
        let refunds: [String] = facts.refunds.map {
            "R \(id($0.id)) \(id($0.charge)) \(id($0.metadataOrder)) \($0.outcome) \($0.money) \($0.created.value)"
        }
        let transactions: [String] = facts.transactions.map {
            "T \(id($0.id)) \(id($0.source)) \(id($0.type)) \($0.currency) \($0.amount) \($0.fee) \($0.net) \($0.created.value)"
        }
        let disputes: [String] = facts.disputes.map { "D \(id($0.id)) \(id($0.charge))" }
        let payouts: [String] = facts.payouts.indices.map { "P \(facts.payouts[$0].id) \(String(describing: facts.payoutCompositions[$0]))" }
        return kind(ledger) + kind(charges) + kind(refunds) + kind(transactions) + kind(disputes) + payouts
            + (numbered ? ["ids \(ids.count)"] : [])
    }
}
