import Core
import Foundation
import Logging
import NIOCore
import StripeAPI
import TestSupport
import Testing

/// Each retry rule and the breaker against scripts/misbehaving_server.py, which answers every attempt
/// as its scenario says and counts them.
@Suite(.serialized) struct RetryRuleTests {
    struct Thing: Decodable { let attempt: Int }
    struct Count: Decodable { let count: Int }

    static func client(
        _ server: HelperProcess, key: String = "sk_test_retry_rules", attempts: Int = 4, timeout: TimeAmount = .seconds(60),
        breaker: CircuitBreaker = CircuitBreaker()
    ) throws -> StripeClient {
        StripeClient(
            baseURL: server.baseURL, apiKey: try APIKey(key),
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)), requestsPerSecond: 1_000,
            timeout: timeout, breaker: breaker, logger: Logger(label: "test"))
    }

    static func attempts(_ server: HelperProcess, _ key: String, _ client: StripeClient) async throws -> Int {
        let count: Count = try await client.get("/_count/\(key)")
        return count.count
    }

    @Test func retryableAnswersAreRetriedUntilTheyPass() async throws {
        let server = try HelperProcess(script: "misbehaving_server.py")
        defer { server.stop() }
        let client = try Self.client(server)
        // 500 twice, then 200; 409 once; a 400 that Stripe says to retry; a body cut off mid-way.
        for (scenario, tries) in [("five_hundred", 3), ("conflict", 2), ("must_retry", 2), ("reset", 2)] {
            let thing: Thing = try await client.get("/v1/\(scenario)/\(scenario)")
            #expect(thing.attempt == tries, "\(scenario)")
            #expect(try await Self.attempts(server, scenario, client) == tries, "\(scenario)")
        }
    }

    @Test func retryAfterIsWaitedOutAndShouldRetryFalseIsFinal() async throws {
        let server = try HelperProcess(script: "misbehaving_server.py")
        defer { server.stop() }
        let client = try Self.client(server)
        let started = ContinuousClock.now
        let thing: Thing = try await client.get("/v1/retry_after/ra")
        #expect(thing.attempt == 2)
        // The backoff alone is milliseconds here: the second try waited for Retry-After's second.
        #expect(started.duration(to: .now) >= .milliseconds(950))
        await #expect(throws: StripeError.self) { let _: Thing = try await client.get("/v1/no_retry/nr") }
        #expect(try await Self.attempts(server, "nr", client) == 1)
    }

    @Test func aRequestThatTimesOutIsRetried() async throws {
        let server = try HelperProcess(script: "misbehaving_server.py")
        defer { server.stop() }
        let client = try Self.client(server, timeout: .milliseconds(800))
        let thing: Thing = try await client.get("/v1/slow/slow")
        #expect(thing.attempt == 2)
    }

    @Test func aRestrictedKeyIsToldWhichPermissionItLacks() async throws {
        let server = try HelperProcess(script: "misbehaving_server.py")
        defer { server.stop() }
        let client = try Self.client(server, key: "rk_test_restricted_secret_value")
        do {
            let _: Thing = try await client.get("/v1/restricted/charges")
            Issue.record("a 403 must fail")
        } catch let error as StripeError {
            #expect(error.status == 403)
            #expect(error.description.contains("lacks the permission rak_charge_read"))
            #expect(error.description.contains("docs/extraction.md"))
            #expect(!error.description.contains("restricted_secret_value"))
        }
    }

    /// Failing calls open the breaker: calls then fail at once without reaching the server; after the
    /// cooldown one trial goes out (half-open), and its success closes the breaker.
    @Test func theBreakerOpensAndHalfOpens() async throws {
        let server = try HelperProcess(script: "misbehaving_server.py")
        defer { server.stop() }
        // A cooldown far longer than a call, so that a loaded machine cannot let it pass between two of them.
        let breaker = CircuitBreaker(failureThreshold: 2, cooldown: .milliseconds(1_500))
        let client = try Self.client(server, attempts: 1, breaker: breaker)
        let probe = try Self.client(server)
        for _ in 0..<2 { await #expect(throws: StripeError.self) { let _: Thing = try await client.get("/v1/down/svc") } }
        await #expect(throws: CircuitOpenError.self) { let _: Thing = try await client.get("/v1/down/svc") }
        #expect(try await Self.attempts(server, "svc", probe) == 2)
        try await Task.sleep(for: .milliseconds(1_600))
        // Half-open: the trial reaches the server, fails, and the breaker opens again (asked at once,
        // before the attempts are counted, which takes a request of its own).
        await #expect(throws: StripeError.self) { let _: Thing = try await client.get("/v1/down/svc") }
        await #expect(throws: CircuitOpenError.self) { let _: Thing = try await client.get("/v1/down/svc") }
        #expect(try await Self.attempts(server, "svc", probe) == 3)
        let _: [String: String] = try await probe.get("/_up/svc")
        try await Task.sleep(for: .milliseconds(1_600))
        let thing: Thing = try await client.get("/v1/down/svc")
        #expect(thing.attempt == 4)
        #expect(await breaker.state == .closed)
    }
}
