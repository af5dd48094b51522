import Core
import Foundation
import Payments
import PaymentsStore
import Stages
import Store
import StripeAPI
import TestSupport
import Testing

/// The webhook endpoint over HTTP, with signatures made by Stripe's official Python SDK.
@Suite(.serialized) struct WebhookEndpointTests {
    static func succeededEvent(id: String, intent: String, created: Int64) -> Data {
        Data(
            """
            {"id": "\(id)", "object": "event", "type": "payment_intent.succeeded", "created": \(created), "livemode": false,
             "data": {"object": {"id": "\(intent)", "object": "payment_intent", "amount": 7731, "currency": "eur", "status": "succeeded",
               "created": \(created), "metadata": {"order_id": "ord_Q-1001", "quote_id": "Q-1001"},
               "latest_charge": {"id": "ch_\(intent.dropFirst(3))", "object": "charge", "amount": 7731, "currency": "eur",
                 "status": "succeeded", "captured": true, "created": \(created), "payment_intent": "\(intent)", "metadata": {},
                 "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}}}}}}
            """.utf8)
    }

    /// A paid-for quote as the quote endpoint would have left it: registered, with its PaymentIntent.
    static func registerQuote(_ harness: PaymentsHarness, intent: String) throws {
        let request = try JSONDecoder().decode(QuoteRequest.self, from: Data(PaymentsHarness.quoteJSON.utf8))
        let quote = try request.quote(id: "Q-1001")
        let json = String(decoding: try JSONEncoder().encode(quote), as: UTF8.self)
        _ = try harness.store.registerQuote(
            StoredQuote(
                quoteId: "Q-1001", orderId: quote.orderId, fingerprint: "f", quoteJSON: json,
                total: try quote.total()), at: PaymentsService.systemNow())
        try harness.store.attachPaymentIntent(PaymentIntentID(intent), toQuote: "Q-1001")
    }

    static func withHarness(_ body: (PaymentsHarness) async throws -> Void) async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false)
        do { try await body(harness) } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func signaturesAreCheckedAsStripeMakesThem() async throws {
        try await Self.withHarness { harness in
            let now = Int64(Date().timeIntervalSince1970)
            let payload = Self.succeededEvent(id: "evt_sig_1", intent: "pi_unknown1", created: now)
            let valid = try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now)
            #expect(valid.count == 64)

            let accepted = try await harness.deliver(payload, signature: "t=\(now),v1=\(valid)")
            #expect(accepted.status == 200, "\(accepted.text)")
            #expect(accepted.json["duplicate"] as? Bool == false)

            var tampered = payload
            tampered[tampered.firstIndex(of: UInt8(ascii: "7"))!] = UInt8(ascii: "1")
            #expect(try await harness.deliver(tampered, signature: "t=\(now),v1=\(valid)").status == 400)

            let wrongSecret = try StripeSDK.signature(payload: payload, secret: "whsec_somebody_else", timestamp: now)
            #expect(try await harness.deliver(payload, signature: "t=\(now),v1=\(wrongSecret)").status == 400)

            // Two v1 during a rotation: one stale, one valid.
            let other = Self.succeededEvent(id: "evt_sig_2", intent: "pi_unknown2", created: now)
            let otherValid = try StripeSDK.signature(payload: other, secret: PaymentsHarness.webhookSecret, timestamp: now)
            let stale = try StripeSDK.signature(payload: other, secret: "whsec_retired", timestamp: now)
            #expect(try await harness.deliver(other, signature: "t=\(now),v1=\(stale),v1=\(otherValid)").status == 200)

            let old = now - 301
            let expiredPayload = Self.succeededEvent(id: "evt_sig_3", intent: "pi_unknown3", created: old)
            let expired = try StripeSDK.signature(payload: expiredPayload, secret: PaymentsHarness.webhookSecret, timestamp: old)
            let refused = try await harness.deliver(expiredPayload, signature: "t=\(old),v1=\(expired)")
            #expect(refused.status == 400)
            #expect(refused.text.contains("tolerance") || refused.text.contains("old"), "\(refused.text)")

            let missing = try await harness.deliver(payload, signature: nil)
            #expect(missing.status == 400)
            #expect(missing.headers["strict-transport-security"] != nil)

            // Only the two valid deliveries reached the inbox; the unknown PaymentIntents are acknowledged and ignored.
            #expect(try await harness.eventually { try harness.store.webhookEvents().allSatisfy { $0.status == "ignored" } })
            #expect(try harness.store.webhookEvents().map(\.eventId.rawValue) == ["evt_sig_1", "evt_sig_2"])
        }
    }

    @Test func twentyConcurrentDeliveriesOfOneEventBookOneOrder() async throws {
        try await Self.withHarness { harness in
            try Self.registerQuote(harness, intent: "pi_twenty")
            let now = Int64(Date().timeIntervalSince1970)
            let payload = Self.succeededEvent(id: "evt_twenty", intent: "pi_twenty", created: now)
            let signature = "t=\(now),v1=" + (try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await harness.deliver(payload, signature: signature).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(try await harness.eventually { try harness.store.order("ord_Q-1001") != nil })
            // Give any straggling processing a chance to (wrongly) book again.
            await harness.service.processPendingEvents()
            let events = try harness.store.webhookEvents()
            #expect(events.count == 1)
            #expect(events.first?.deliveries == 20)
            #expect(events.first?.status == "processed")
            #expect(try harness.store.ledgerEntries(order: "ord_Q-1001").count == 1)
            #expect(try harness.store.documents(order: "ord_Q-1001").map(\.number) == ["INV-000001"])
            let order = try #require(try harness.store.order("ord_Q-1001"))
            #expect(order.cardBrand == "visa")
            #expect(order.cardLast4 == "4242")
        }
    }

    @Test func aRefundReportedBeforeItsPaymentWaitsForTheOrder() async throws {
        try await Self.withHarness { harness in
            try Self.registerQuote(harness, intent: "pi_order")
            let now = Int64(Date().timeIntervalSince1970)
            let refundEvent = Data(
                """
                {"id": "evt_refund_first", "object": "event", "type": "refund.updated", "created": \(now - 5),
                 "data": {"object": {"id": "re_early", "object": "refund", "amount": 1000, "currency": "eur", "status": "succeeded",
                   "payment_intent": "pi_order", "charge": "ch_order", "created": \(now - 5), "metadata": {"reason": "late delivery"}}}}
                """.utf8)
            let sign = { (payload: Data) in
                "t=\(now),v1=" + (try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now))
            }
            #expect(try await harness.deliver(refundEvent, signature: try sign(refundEvent)).status == 200)
            #expect(try await harness.eventually { try harness.store.webhookEvents().first?.status == "deferred" })
            let paid = Self.succeededEvent(id: "evt_paid_later", intent: "pi_order", created: now - 10)
            #expect(try await harness.deliver(paid, signature: try sign(paid)).status == 200)
            #expect(
                try await harness.eventually {
                    try harness.store.ledgerEntries(order: "ord_Q-1001").map(\.kind) == [.payment, .refund]
                })
            #expect(try harness.store.documents(order: "ord_Q-1001").map(\.number).sorted() == ["CN-000001", "INV-000001"])
            // Delivered again after both are done: nothing more is booked.
            #expect(try await harness.deliver(refundEvent, signature: try sign(refundEvent)).json["duplicate"] as? Bool == true)
            await harness.service.processPendingEvents()
            #expect(try harness.store.ledgerEntries(order: "ord_Q-1001").count == 2)
        }
    }

    @Test func disputesPayoutsAndUnknownEventsAreRecordedForTheNightlyRun() async throws {
        try await Self.withHarness { harness in
            try Self.registerQuote(harness, intent: "pi_disputed")
            let now = Int64(Date().timeIntervalSince1970)
            let sign = { (payload: Data) in
                "t=\(now),v1=" + (try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now))
            }
            let events = [
                Self.succeededEvent(id: "evt_d1", intent: "pi_disputed", created: now - 100),
                Data(
                    """
                    {"id": "evt_d2", "object": "event", "type": "charge.dispute.created", "created": \(now - 50),
                     "data": {"object": {"id": "dp_1", "object": "dispute", "amount": 7731, "currency": "eur", "status": "needs_response",
                       "reason": "fraudulent", "charge": "ch_disputed", "payment_intent": "pi_disputed", "created": \(now - 50)}}}
                    """.utf8),
                Data(
                    """
                    {"id": "evt_d3", "object": "event", "type": "payout.paid", "created": \(now - 40),
                     "data": {"object": {"id": "po_1", "object": "payout", "amount": 5000, "currency": "eur", "status": "paid",
                       "created": \(now - 40), "arrival_date": \(now)}}}
                    """.utf8),
                Data(#"{"id": "evt_d4", "object": "event", "type": "customer.created", "created": 1, "data": {"object": {"id": "cus_1"}}}"#.utf8),
            ]
            for event in events { #expect(try await harness.deliver(event, signature: try sign(event)).status == 200) }
            #expect(try await harness.eventually { try harness.store.webhookEvents().allSatisfy { $0.status != "received" } })
            #expect(try harness.store.webhookEvents().map(\.status) == ["ignored", "processed", "processed", "processed"])
            let ledger = try harness.store.ledgerEntries(order: "ord_Q-1001")
            #expect(ledger.map(\.kind) == [.payment, .dispute])
            #expect(ledger.last?.stripeId == "dp_1")
            #expect(ledger.last?.amount.minorUnits == 7731)
            let counts = try harness.store.stripeCounts()
            #expect(counts["stripe_dispute"] == 1)
            #expect(counts["stripe_payout"] == 1)
            #expect(counts["stripe_charge"] == 1)
        }
    }
}
