import Core
import Logging
import Sandbox
import SandboxData
import StripeAPI
import Testing

@Suite struct ClientTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 120, seed: 11))

    static func withClient(
        _ options: SandboxOptions = SandboxOptions(), key: String = "sk_test_client_secret_value",
        retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)),
        _ body: (StripeClient) async throws -> Void
    ) async throws {
        let sandbox = try await RunningSandbox.start(account: account, options: options, logger: Logger(label: "test"))
        let client = StripeClient(
            baseURL: sandbox.baseURL, apiKey: try APIKey(key), retry: retry, requestsPerSecond: 500,
            logger: Logger(label: "test"))
        do { try await body(client) } catch { await sandbox.stop(); throw error }
        await sandbox.stop()
    }

    @Test func listsEveryObjectAcrossPages() async throws {
        try await Self.withClient { client in
            let charges = try await client.listAll("/v1/charges", of: Charge.self)
            #expect(charges.map(\.id) == Self.account.stripe.charges.sorted { ($0.created, $0.id) > ($1.created, $1.id) }.map(\.id))
            let transactions = try await client.listAll(
                "/v1/balance_transactions", query: [("expand[]", "data.source")],
                of: BalanceTransaction.self)
            #expect(Set(transactions.map(\.id)) == Set(Self.account.stripe.balanceTransactions.map(\.id)))
            #expect(transactions.count > 100)
        }
    }

    @Test func fiveHundredsAreRetriedUntilTheyPass() async throws {
        try await Self.withClient(
            SandboxOptions(failRate: 0.3),
            retry: RetryPolicy(maxAttempts: 30, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        ) { client in
            let payouts = try await client.listAll("/v1/payouts", of: Payout.self)
            #expect(payouts.count == Self.account.stripe.payouts.count)
        }
    }

    @Test func rateLimitedRequestsWaitInsteadOfFailing() async throws {
        try await Self.withClient(SandboxOptions(rateLimit: 4)) { client in
            var ids: [String] = []
            for _ in 0..<12 {
                let payout: Payout = try await client.get("/v1/payouts/\(Self.account.stripe.payouts[0].id)")
                ids.append(payout.id.rawValue)
            }
            #expect(ids.count == 12)
        }
    }

    @Test func clientErrorsFailAtOnceWithStripesMessageAndNoKey() async throws {
        try await Self.withClient(key: "sk_live_do_not_print_me") { client in
            do {
                let _: StripeList<Charge> = try await client.get("/v1/charges")
                Issue.record("a live key must be refused by the sandbox")
            } catch let error as StripeError {
                #expect(error.status == 401)
                #expect(error.code == "api_key_invalid")
                #expect(!String(describing: error).contains("do_not_print_me"))
            }
            await #expect(throws: StripeError.self) { let _: Charge = try await client.get("/v1/charges/ch_missing") }
        }
    }
}
