import Core
import Foundation
import Payments
import PaymentsStore
import Stages
import Store
import TestSupport
import Testing

@Suite(.serialized) struct OutboxTests {
    @Test func aMailServerThatIsDownNeverLosesTheOrderAndTheEmailIsRetried() async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false)
        do {
            harness.smtp.stop()
            try WebhookEndpointTests.registerQuote(harness, intent: "pi_mail")
            let now = Int64(Date().timeIntervalSince1970)
            let payload = WebhookEndpointTests.succeededEvent(id: "evt_mail", intent: "pi_mail", created: now)
            let signature = "t=\(now),v1=" + (try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now))
            #expect(try await harness.deliver(payload, signature: signature).status == 200)
            #expect(
                try await harness.eventually(seconds: 60) {
                    try harness.store.outboxItems(order: "ord_Q-1001").first { $0.channel == .email }.map { $0.attempts >= 2 } ?? false
                }, "outbox: \((try? harness.store.outboxItems()) ?? [])")
            let email = try #require(try harness.store.outboxItems(order: "ord_Q-1001").first { $0.channel == .email })
            #expect(email.deliveredAt == nil)
            #expect(email.lastError?.contains("SMTP") == true, "\(email.lastError ?? "")")
            #expect(try harness.store.order("ord_Q-1001")?.invoiceNumber == "INV-000001")
            #expect(try harness.store.ledgerEntries(order: "ord_Q-1001").count == 1)
            // The notification does not wait for the email.
            #expect(
                try await harness.eventually {
                    try harness.store.outboxItems(order: "ord_Q-1001").first { $0.channel == .supplierNotification }?.status == .delivered
                })
            // After max_attempts (5 here) the email is given up on, visibly, and the order is still there.
            #expect(
                try await harness.eventually {
                    try harness.store.outboxItems(order: "ord_Q-1001").first { $0.channel == .email }?.status == .failed
                })
            #expect(try harness.store.order("ord_Q-1001") != nil)
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }
}
