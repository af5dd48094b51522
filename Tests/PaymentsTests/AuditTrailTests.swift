import Core
import Foundation
import Logging
import Payments
import StripeAPI
import TestSupport
import Testing

/// Every action that moves money or changes a record is in the audit log with its actor, time and
/// request id: a named token's requests under its name, Stripe's webhooks as `stripe` with the event id.
@Suite(.serialized) struct AuditTrailTests {
    static let anaToken = "ana-token-0123456789abcdef"

    @Test func namedTokensActAndEveryMoneyActionIsLogged() async throws {
        let log = CapturedLog()
        let harness = try await PaymentsHarness(
            tls: true, withLocalstripe: true, logHandler: CapturingLogHandler(log: log), namedTokens: ["ops-ana": Self.anaToken])
        do {
            let ana = ["Authorization": "Bearer \(Self.anaToken)", "X-Request-Id": "req-ana-1"]
            let priced = try await harness.backend("POST", "/quotes/Q-1001/payment-intent", json: PaymentsHarness.quoteJSON, headers: ana)
            #expect(priced.status == 200, "\(priced.text)")
            let intentId = try #require(priced.json["payment_intent_id"] as? String)
            // A token nobody issued is refused, and the access log says so without naming it.
            let stranger = try await harness.backend("GET", "/orders/ord_Q-1001", headers: ["Authorization": "Bearer not-a-token-of-ours"])
            #expect(stranger.status == 401)
            #expect(log.all.contains("\"actor\": unknown-token"))
            #expect(log.all.contains("\"actor\": token:ops-ana") && log.all.contains("\"request_id\": req-ana-1"))

            // The buyer pays (localstripe's test card); Stripe's webhook books the order.
            let stripe = StripeClient(
                baseURL: harness.localstripe!.baseURL, apiKey: try APIKey(PaymentsHarness.apiKey), logger: Logger(label: "buyer"))
            let _: PaymentIntent = try await stripe.post(
                "/v1/payment_intents/\(intentId)", form: [("payment_method", "pm_card_visa")], idempotencyKey: "audit-attach")
            let _: PaymentIntent = try await stripe.post("/v1/payment_intents/\(intentId)/confirm", form: [], idempotencyKey: "audit-confirm")
            #expect(try await harness.eventually { try harness.store.order("ord_Q-1001") != nil })
            let refund = try await harness.backend(
                "POST", "/orders/ord_Q-1001/refunds", json: #"{"amount": "20.00", "reason": "one torch damaged"}"#,
                headers: ["Authorization": "Bearer \(Self.anaToken)", "X-Request-Id": "req-ana-2", "Idempotency-Key": "refund-ana-1"])
            #expect(refund.status == 200, "\(refund.text)")
            #expect(try await harness.eventually { try harness.store.documents(order: "ord_Q-1001").count == 2 })

            let entries = try harness.store.auditLog(from: Timestamp(seconds: 0), to: Timestamp(seconds: 4_000_000_000))
            let actions = entries.map { "\($0.actor) \($0.action)" }
            #expect(
                actions == [
                    "token:ops-ana quote.priced", "token:ops-ana payment_intent.created", "stripe order.booked", "token:ops-ana refund.requested",
                    "stripe refund.booked",
                ], "\(actions)")
            let byAction = Dictionary(entries.map { ($0.action, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byAction["quote.priced"]?.requestId == "req-ana-1" && byAction["quote.priced"]?.subject == "Q-1001")
            #expect(byAction["quote.priced"]?.after?.contains("total 77.31 EUR") == true)
            #expect(byAction["payment_intent.created"]?.subject == intentId)
            #expect(byAction["order.booked"]?.subject == "ord_Q-1001" && byAction["order.booked"]?.requestId?.hasPrefix("evt_") == true)
            #expect(byAction["order.booked"]?.after == "paid 77.31 EUR, invoice INV-000001")
            #expect(byAction["refund.requested"]?.requestId == "req-ana-2" && byAction["refund.requested"]?.note == "one torch damaged")
            #expect(byAction["refund.booked"]?.after?.contains("20.00 EUR of order ord_Q-1001, credit note CN-000001") == true)
            // Asking again for the same quote prices nothing new.
            _ = try await harness.backend("POST", "/quotes/Q-1001/payment-intent", json: PaymentsHarness.quoteJSON, headers: ana)
            #expect(try harness.store.auditLog(from: Timestamp(seconds: 0), to: Timestamp(seconds: 4_000_000_000)).count == entries.count)
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }
}
