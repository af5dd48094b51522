import Core
import Foundation
import Logging
import StripeAPI
import TestSupport
import Testing

/// POSTs (form bodies, Idempotency-Key) against localstripe, a third-party Stripe emulator.
@Suite(.serialized) struct PostAgainstLocalstripeTests {
    @Test func createsConfirmsAndRefundsAPaymentIntent() async throws {
        let localstripe = try HelperProcess(script: "localstripe_server.py")
        defer { localstripe.stop() }
        let client = StripeClient(
            baseURL: localstripe.baseURL, apiKey: try APIKey("sk_test_localstripe"),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5)), logger: Logger(label: "test"))
        let created: PaymentIntent = try await client.post(
            "/v1/payment_intents",
            form: [
                ("amount", "12345"), ("currency", "eur"), ("payment_method_types[]", "card"), ("metadata[order_id]", "ord_1"),
            ], idempotencyKey: "test-create-1")
        #expect(created.amount == 12345)
        #expect(try created.currency == Currency(code: "EUR"))
        #expect(created.metadata?["order_id"] == "ord_1")
        #expect(created.status == "requires_payment_method")
        let _: PaymentIntent = try await client.post(
            "/v1/payment_intents/\(created.id)", form: [("payment_method", "pm_card_visa")],
            idempotencyKey: "test-attach-1")
        let confirmed: PaymentIntent = try await client.post(
            "/v1/payment_intents/\(created.id)/confirm", form: [],
            idempotencyKey: "test-confirm-1")
        #expect(confirmed.status == "succeeded")
        let refund: Refund = try await client.post(
            "/v1/refunds", form: [("payment_intent", created.id.rawValue), ("amount", "345")],
            idempotencyKey: "test-refund-1")
        #expect(refund.amount == 345)
        #expect(refund.status == .succeeded)
        // Stripe's error body comes back as a StripeError with its status, not as a decoding failure.
        let error = await #expect(throws: StripeError.self) {
            let _: Refund = try await client.post(
                "/v1/refunds", form: [("payment_intent", "pi_missing"), ("amount", "100")],
                idempotencyKey: "test-refund-2")
        }
        #expect(error?.status == 404)
    }
}
