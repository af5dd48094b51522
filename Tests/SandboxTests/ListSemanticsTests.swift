import Core
import Foundation
import Logging
import Sandbox
import SandboxData
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Stripe's list semantics, checked over HTTP against a running sandbox.
@Suite struct ListSemanticsTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 150, seed: 3))

    struct Page: Decodable {
        let data: [Item]
        let hasMore: Bool
        enum CodingKeys: String, CodingKey {
            case data
            case hasMore = "has_more"
        }
        struct Item: Decodable {
            let id: String
            let created: Int64
            let source: Source?
        }
        enum Source: Decodable {
            case id(String)
            case object([String: JSONValue])
            init(from decoder: any Decoder) throws {
                if let id = try? decoder.singleValueContainer().decode(String.self) {
                    self = .id(id)
                } else {
                    self = .object(try [String: JSONValue](from: decoder))
                }
            }
        }
    }

    static func withSandbox(
        _ options: SandboxOptions = SandboxOptions(),
        _ body: (String) async throws -> Void
    ) async throws {
        let sandbox = try await RunningSandbox.start(account: account, options: options, logger: Logger(label: "test"))
        do { try await body(sandbox.baseURL) } catch { await sandbox.stop(); throw error }
        await sandbox.stop()
    }

    static func get(_ url: String, key: String? = "sk_test_123") async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    static func page(_ url: String) async throws -> Page {
        let (status, data) = try await get(url)
        #expect(status == 200)
        return try JSONDecoder().decode(Page.self, from: data)
    }

    @Test func pagesAreNewestFirstAndCursorsWalkThemExactly() async throws {
        try await Self.withSandbox { base in
            let expected = Self.account.stripe.charges.sorted { ($0.created, $0.id) > ($1.created, $1.id) }.map(\.id.rawValue)
            let first = try await Self.page("\(base)/v1/charges")
            #expect(first.data.map(\.id) == Array(expected.prefix(10)))
            #expect(first.hasMore)
            var all: [String] = []
            var cursor: String?
            repeat {
                let page = try await Self.page("\(base)/v1/charges?limit=37" + (cursor.map { "&starting_after=\($0)" } ?? ""))
                all += page.data.map(\.id)
                cursor = page.hasMore ? page.data.last?.id : nil
            } while cursor != nil
            #expect(all == expected)
            // ending_before returns the page just before the cursor, still newest first.
            let back = try await Self.page("\(base)/v1/charges?limit=5&ending_before=\(expected[12])")
            #expect(back.data.map(\.id) == Array(expected[7..<12]))
            #expect(back.hasMore)
        }
    }

    @Test func createdWindowsPayoutFilterAndExpand() async throws {
        try await Self.withSandbox { base in
            let charges = Self.account.stripe.charges
            let middle = charges.map(\.created).sorted()[charges.count / 2]
            let window = try await Self.page("\(base)/v1/charges?limit=100&created%5Bgte%5D=\(middle)&created%5Blt%5D=\(middle + 86_400)")
            let expected = charges.filter { $0.created >= middle && $0.created < middle + 86_400 }.count
            #expect(window.data.count == expected && expected > 0)
            #expect(window.data.allSatisfy { $0.created >= middle && $0.created < middle + 86_400 })

            let payout = try #require(Self.account.stripe.payouts.first)
            let members = try await Self.page("\(base)/v1/balance_transactions?limit=100&payout=\(payout.id)")
            #expect(Set(members.data.map(\.id)) == Set(Self.account.stripe.payoutLinks[payout.id]!.map(\.rawValue)))

            let expanded = try await Self.page("\(base)/v1/balance_transactions?limit=20&expand%5B%5D=data.source&type=charge")
            for item in expanded.data {
                guard case .object(let source)? = item.source else { Issue.record("source not expanded on \(item.id)"); continue }
                #expect(source["object"]?.stringValue == "charge")
            }
            let plain = try await Self.page("\(base)/v1/balance_transactions?limit=3&type=charge")
            if case .object? = plain.data.first?.source { Issue.record("expanded without expand[]") }
        }
    }

    @Test func errorsAreStripeShaped() async throws {
        try await Self.withSandbox { base in
            let charge = try #require(Self.account.stripe.charges.first)
            let (ok, body) = try await Self.get("\(base)/v1/charges/\(charge.id)")
            #expect(ok == 200)
            #expect(try JSONDecoder().decode(Charge.self, from: body).id == charge.id)
            for (url, key, expectedStatus, fragment) in [
                ("\(base)/v1/charges/ch_nope", "sk_test_1", 404, "resource_missing"),
                ("\(base)/v1/charges?limit=0", "sk_test_1", 400, "parameter_invalid_integer"),
                ("\(base)/v1/charges?limit=101", "sk_test_1", 400, "limit"),
                ("\(base)/v1/charges?starting_after=ch_nope", "sk_test_1", 400, "resource_missing"),
                ("\(base)/v1/charges", nil, 401, "did not provide an API key"),
                ("\(base)/v1/charges", "sk_live_1", 401, "api_key_invalid"),
                ("\(base)/v1/customers", "sk_test_1", 404, "Unrecognized request URL"),
            ] as [(String, String?, Int, String)] {
                let (status, data) = try await Self.get(url, key: key)
                #expect(status == expectedStatus, "\(url)")
                let text = String(decoding: data, as: UTF8.self)
                #expect(text.contains("\"error\"") && text.contains(fragment), "\(url): \(text)")
            }
        }
    }

    @Test func rateLimitAndFaultInjection() async throws {
        try await Self.withSandbox(SandboxOptions(rateLimit: 3)) { base in
            // Concurrent, so that more than 3 land in one second even on a loaded machine.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<30 { group.addTask { try await Self.get("\(base)/v1/payouts?limit=1").0 } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.contains(429))
            #expect(statuses.filter { $0 == 200 }.count >= 3)
            #expect(Set(statuses).isSubset(of: [200, 429]))
        }
        try await Self.withSandbox(SandboxOptions(failRate: 1)) { base in
            let (status, data) = try await Self.get("\(base)/v1/payouts")
            #expect(status == 500)
            #expect(String(decoding: data, as: UTF8.self).contains("api_error"))
        }
    }
}
