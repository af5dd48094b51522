import Core
import Foundation
import PaymentsStore
import Stages
import Store
import StripeAPI
import TestSupport
import Testing

@Suite struct InboxAndBreakerTests {
    struct HandlerFailed: Error {}

    @Test func aFailedEventIsRetriedAfterABackoffAndRedeliveriesOnlyCount() throws {
        let path = TestScratch.directory.appendingPathComponent("inbox-\(UUID().uuidString).sqlite").path
        let store = try PayreconStore(path: path, durability: .full)
        let t0 = Timestamp(seconds: 1_800_000_000)
        let event = IncomingWebhookEvent(id: "evt_1", type: "payment_intent.succeeded", created: 1, payload: Data("{}".utf8))
        #expect(try store.receiveWebhookEvents([event, event], at: t0) == [true, false])
        #expect(try store.webhookEvents().first?.deliveries == 2)
        #expect(throws: PaymentsStoreFailure.self) {
            try store.processWebhookEvent("evt_1", at: t0) { _, _ in throw HandlerFailed() }
        }
        // Nothing the failed handler wrote stays; the attempt and its error do.
        #expect(try store.webhookEvents().first?.attempts == 1)
        #expect(try store.webhookEvents().first?.error?.contains("HandlerFailed") == true)
        // Not due again for 2 s (2^1), then due.
        #expect(try store.webhookEventsToProcess(limit: 10, maxAttempts: 40, at: t0.adding(seconds: 1)).isEmpty)
        #expect(try store.webhookEventsToProcess(limit: 10, maxAttempts: 40, at: t0.adding(seconds: 2)).map(\.id) == ["evt_1"])
        #expect(try store.processWebhookEvent("evt_1", at: t0.adding(seconds: 2)) { _, _ in .processed } == .processed)
        // Done is done: a second worker gets nil and the body does not run.
        var ranAgain = false
        #expect(
            try store.processWebhookEvent("evt_1", at: t0.adding(seconds: 3)) { _, _ in
                ranAgain = true; return .processed
            } == nil)
        #expect(!ranAgain)
    }

    @Test func theBreakerOpensAfterTheThresholdLetsOneTrialThroughAndClosesOnSuccess() async throws {
        let breaker = CircuitBreaker(failureThreshold: 2, cooldown: .milliseconds(200))
        try await breaker.admit(path: "/v1/x")
        #expect(await breaker.record(success: false) == false)
        try await breaker.admit(path: "/v1/x")
        // The failure that opens it says so (the client logs that at error).
        #expect(await breaker.record(success: false) == true)
        await #expect(throws: CircuitOpenError.self) { try await breaker.admit(path: "/v1/x") }
        try await Task.sleep(for: .milliseconds(250))
        try await breaker.admit(path: "/v1/x") // the trial
        await #expect(throws: CircuitOpenError.self) { try await breaker.admit(path: "/v1/x") } // one at a time
        #expect(await breaker.record(success: false) == true) // trial failed: open again
        await #expect(throws: CircuitOpenError.self) { try await breaker.admit(path: "/v1/x") }
        try await Task.sleep(for: .milliseconds(250))
        try await breaker.admit(path: "/v1/x")
        await breaker.record(success: true)
        #expect(await breaker.state == .closed)
        try await breaker.admit(path: "/v1/x")
    }
}
