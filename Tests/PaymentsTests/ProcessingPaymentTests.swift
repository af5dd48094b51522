import Core
import Foundation
import Payments
import PaymentsStore
import TestSupport
import Testing

/// Bank debits (SEPA, ACH): `payment_intent.processing` books the order as processing with no invoice
/// or ledger entry; `succeeded` then invoices it; `payment_failed` after processing ends it and tells
/// the buyer (email) and the supplier (notification).
@Suite(.serialized) struct ProcessingPaymentTests {
    static func deliver(_ harness: PaymentsHarness, _ json: String) async throws -> Int {
        let now = Int64(Date().timeIntervalSince1970)
        let payload = Data(json.replacingOccurrences(of: "NOW", with: String(now)).utf8)
        let signature = "t=\(now),v1=" + (try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now))
        return try await harness.deliver(payload, signature: signature).status
    }

    static let processing = """
        {"id": "evt_processing", "object": "event", "type": "payment_intent.processing", "created": NOW, "livemode": false,
         "data": {"object": {"id": "pi_sepa", "object": "payment_intent", "amount": 7731, "currency": "eur", "status": "processing",
           "created": NOW, "payment_method_types": ["sepa_debit"], "metadata": {"order_id": "ord_Q-1001", "quote_id": "Q-1001"}}}}
        """

    static func status(_ harness: PaymentsHarness) async throws -> [String: Any] {
        try await harness.backend("GET", "/orders/ord_Q-1001").json
    }

    @Test func processingThenSucceededInvoicesOnceTheMoneyArrives() async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false)
        do {
            try WebhookEndpointTests.registerQuote(harness, intent: "pi_sepa")
            #expect(try await Self.deliver(harness, Self.processing) == 200)
            #expect(try await harness.eventually { try await Self.status(harness)["status"] as? String == "processing" })
            let waiting = try await Self.status(harness)
            #expect(waiting["invoice_number"] == nil && waiting["payment_method"] as? String == "sepa_debit")
            #expect(try harness.store.ledgerEntries(order: "ord_Q-1001").isEmpty)
            #expect(try harness.store.documents(order: "ord_Q-1001").isEmpty)
            // Delivered again: still one state, nothing booked.
            #expect(try await Self.deliver(harness, Self.processing.replacingOccurrences(of: "evt_processing", with: "evt_processing_2")) == 200)

            let succeeded = String(decoding: WebhookEndpointTests.succeededEvent(id: "evt_sepa_paid", intent: "pi_sepa", created: 0), as: UTF8.self)
                .replacingOccurrences(of: "\"created\": 0", with: "\"created\": NOW")
            #expect(try await Self.deliver(harness, succeeded) == 200)
            #expect(try await harness.eventually { try await Self.status(harness)["status"] as? String == "paid" })
            let paid = try await Self.status(harness)
            #expect(paid["invoice_number"] as? String == "INV-000001")
            #expect(try harness.store.ledgerEntries(order: "ord_Q-1001").map(\.kind) == [.payment])
            // A processing event that arrives after the payment changes nothing.
            #expect(try await Self.deliver(harness, Self.processing.replacingOccurrences(of: "evt_processing", with: "evt_processing_late")) == 200)
            #expect(try await harness.eventually { try harness.store.webhookEvents().allSatisfy { $0.status != "received" } })
            #expect(try await Self.status(harness)["status"] as? String == "paid")
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func processingThenFailedCancelsAndTellsTheBuyerAndTheSupplier() async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false)
        do {
            try WebhookEndpointTests.registerQuote(harness, intent: "pi_sepa")
            #expect(try await Self.deliver(harness, Self.processing) == 200)
            #expect(try await harness.eventually { try await Self.status(harness)["status"] as? String == "processing" })
            let failed = """
                {"id": "evt_sepa_failed", "object": "event", "type": "payment_intent.payment_failed", "created": NOW, "livemode": false,
                 "data": {"object": {"id": "pi_sepa", "object": "payment_intent", "amount": 7731, "currency": "eur",
                   "status": "requires_payment_method", "created": NOW,
                   "last_payment_error": {"code": "payment_method_not_available", "message": "The bank refused the debit"}}}}
                """
            #expect(try await Self.deliver(harness, failed) == 200)
            #expect(try await harness.eventually { try await Self.status(harness)["status"] as? String == "payment_failed" })
            #expect(
                try await harness.eventually {
                    try harness.store.outboxItems(order: "ord_Q-1001").count == 2
                        && harness.store.outboxItems(order: "ord_Q-1001").allSatisfy { $0.deliveredAt != nil }
                })
            #expect(try harness.store.ledgerEntries(order: "ord_Q-1001").isEmpty)
            let mail = harness.directory.appendingPathComponent("mail")
            let mails = try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }
            let text = try mails.map { try String(contentsOf: mail.appendingPathComponent($0), encoding: .utf8) }.joined()
            // The subject has an en dash: it travels as an RFC 2047 encoded word.
            let subject = "=?utf-8?B?" + Data("Payment failed – order ord_Q-1001".utf8).base64EncodedString() + "?="
            #expect(text.contains("Subject: \(subject)"), "\(text.prefix(600))")
            let notes = harness.directory.appendingPathComponent("notifications")
            let posted = try FileManager.default.contentsOfDirectory(atPath: notes.path).filter { $0.hasSuffix(".json") }
                .map { try String(contentsOf: notes.appendingPathComponent($0), encoding: .utf8) }.joined()
            #expect(posted.contains("order.payment_failed"), "\(posted)")
            // The same failure reported again sends nothing more.
            #expect(try await Self.deliver(harness, failed.replacingOccurrences(of: "evt_sepa_failed", with: "evt_sepa_failed_2")) == 200)
            #expect(try await harness.eventually { try harness.store.webhookEvents().allSatisfy { $0.status != "received" } })
            #expect(try harness.store.outboxItems(order: "ord_Q-1001").count == 2)
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }
}
