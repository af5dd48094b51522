import Core
import Extract
import Facts
import Foundation
import GRDB
import Logging
import Sandbox
import SandboxData
import Store
import StripeAPI
import TestSupport
import Testing

@Suite struct ExtractorTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 300, seed: 5))

    static func temporaryStore() throws -> PayreconStore {
        let path = TestScratch.directory.appendingPathComponent("payrecon-\(UUID().uuidString).sqlite").path
        return try PayreconStore(path: path)
    }

    static func extract(into store: PayreconStore, options: SandboxOptions = SandboxOptions(), full: Bool = true) async throws
        -> StripeExtractor.Summary
    {
        let sandbox = try await RunningSandbox.start(account: account, options: options, logger: Logger(label: "test"))
        let client = StripeClient(
            baseURL: sandbox.baseURL, apiKey: try APIKey("sk_test_extract"),
            retry: RetryPolicy(maxAttempts: 30, baseDelay: .milliseconds(1), maxDelay: .milliseconds(10)),
            requestsPerSecond: 1_000, logger: Logger(label: "test"))
        defer { Task { await sandbox.stop() } }
        return try await StripeExtractor(client: client, store: store, logger: Logger(label: "test"))
            .run(.init(full: full, concurrency: 4), now: Timestamp(seconds: 1_800_000_000))
    }

    @Test func extractsEveryObjectAndEveryPayoutLink() async throws {
        let store = try Self.temporaryStore()
        let summary = try await Self.extract(into: store)
        let stripe = Self.account.stripe
        #expect(summary.counts["charges"] == stripe.charges.count)
        #expect(summary.counts["payouts"] == stripe.payouts.count)
        #expect(summary.payoutsLinked == stripe.payouts.count)
        let counts = try store.stripeCounts()
        #expect(counts["stripe_balance_transaction"] == stripe.balanceTransactions.count)
        #expect(counts["stripe_refund"] == stripe.refunds.count)
        #expect(counts["stripe_dispute"] == stripe.disputes.count)
        #expect(counts["payout_link"] == stripe.payoutLinks.values.map(\.count).reduce(0, +))
        // What comes back out of the store is what the sandbox served.
        let loaded = try store.loadStripe(from: Timestamp(seconds: 0), to: Timestamp(seconds: 4_000_000_000))
        #expect(
            Set(loaded.balanceTransactions)
                == Set(
                    stripe.balanceTransactions.map { t in
                        BalanceTransaction(
                            id: t.id, amount: t.amount, currency: t.currency, net: t.net, fee: t.fee, exchangeRate: t.exchangeRate,
                            created: t.created, availableOn: t.availableOn, status: t.status, type: t.type,
                            reportingCategory: t.reportingCategory, source: t.source, description: t.description)
                    }))
        #expect(loaded.payoutLinks.mapValues(Set.init) == stripe.payoutLinks.mapValues(Set.init))
        // What the store keeps per payout (kept by SQL as it writes) is what the reconciler computes from the records.
        func byPayout(_ facts: ReconcileFacts) -> [String: ReconcileFacts.PayoutComposition?] {
            Dictionary(uniqueKeysWithValues: zip(facts.payouts.map(\.id.rawValue), facts.payoutCompositions))
        }
        let compositions = byPayout(try store.loadFacts(from: Timestamp(seconds: 0), to: Timestamp(seconds: 4_000_000_000)))
        #expect(compositions.count == stripe.payouts.count && compositions.values.allSatisfy { $0 != nil })
        #expect(compositions == byPayout(ReconcileFacts(stripe: stripe, ledger: [])))
    }

    @Test func aSecondIncrementalRunAddsNothingNew() async throws {
        let store = try Self.temporaryStore()
        let first = try await Self.extract(into: store)
        let before = try store.stripeCounts()
        let second = try await Self.extract(into: store, full: false)
        #expect(try store.stripeCounts() == before)
        // The second night reads the lookback window, relinks the payouts it saw again and reads again what
        // can still change (open disputes, their charges): a small share.
        print("first night: \(first.requests) requests; second night: \(second.requests) requests")
        #expect(first.requests > 0 && second.requests * 4 < first.requests)
        // Incremental: only the lookback window is read again.
        #expect((second.counts["charges"] ?? 0) < Self.account.stripe.charges.count)
        #expect(try store.watermarks()["charge"] == Self.account.stripe.charges.map(\.created).max())
    }

    /// What an incremental night's window does not reach but can still change is read again by id: a
    /// payout the store has as in transit, a refund it has as pending (set so here, straight in the file).
    @Test func anIncrementalNightReadsAgainWhatCanStillChange() async throws {
        let store = try Self.temporaryStore()
        _ = try await Self.extract(into: store)
        let stripe = Self.account.stripe
        let payout = try #require(stripe.payouts.min { $0.created < $1.created })
        let refund = try #require(stripe.refunds.filter { $0.status == .succeeded }.min { $0.created < $1.created })
        let queue = try DatabaseQueue(path: store.path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE stripe_payout SET status = 'in_transit' WHERE id = ?", arguments: [payout.id.rawValue])
            try db.execute(sql: "UPDATE stripe_refund SET status = 'pending' WHERE id = ?", arguments: [refund.id.rawValue])
        }
        let night = try await Self.extract(into: store, full: false)
        #expect(night.refreshed >= 2)
        let loaded = try store.loadStripe(from: Timestamp(seconds: 0), to: Timestamp(seconds: 4_000_000_000))
        #expect(loaded.payouts.first { $0.id == payout.id }?.status == payout.status)
        #expect(loaded.refunds.first { $0.id == refund.id }?.status == .succeeded)
    }

    @Test func faultsAndRateLimitsStillGiveTheWholeAccount() async throws {
        let store = try Self.temporaryStore()
        _ = try await Self.extract(into: store, options: SandboxOptions(rateLimit: 200, failRate: 0.15))
        #expect(try store.stripeCounts()["stripe_charge"] == Self.account.stripe.charges.count)
    }

    @Test func aFailedExtractionLeavesTheStoreAsItWas() async throws {
        let store = try Self.temporaryStore()
        let sandbox = try await RunningSandbox.start(account: Self.account, options: SandboxOptions(failRate: 1), logger: Logger(label: "t"))
        let client = StripeClient(
            baseURL: sandbox.baseURL, apiKey: try APIKey("sk_test_x"),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)),
            requestsPerSecond: 1_000, logger: Logger(label: "t"))
        await #expect(throws: StripeError.self) {
            _ = try await StripeExtractor(client: client, store: store, logger: Logger(label: "t")).run(.init(full: true), now: Timestamp(seconds: 0))
        }
        await sandbox.stop()
        #expect(try store.stripeCounts().values.allSatisfy { $0 == 0 })
    }
}
