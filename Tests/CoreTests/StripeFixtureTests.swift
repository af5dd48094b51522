import Core
import Foundation
import Testing

/// Decodes Stripe's published example objects (fixtures/stripe/fixtures3.json, copied from shared/).
@Suite struct StripeFixtureTests {
    nonisolated(unsafe) static let resources: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/stripe/fixtures3.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return root["resources"] as! [String: Any]
    }()

    func decode<T: Decodable>(_ name: String, as type: T.Type, patch: (inout [String: Any]) -> Void = { _ in }) throws -> T {
        var object = try #require(Self.resources[name] as? [String: Any])
        patch(&object)
        return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func balanceTransaction() throws {
        let t = try decode("balance_transaction", as: BalanceTransaction.self)
        #expect(t.id == "txn_1PgaxNB7WZ01zgkWEV3TLf40")
        #expect(t.amount == 100 && t.fee == 0 && t.net == 100)
        #expect(t.currency == .usd)
        #expect(t.type == .charge)
        #expect(t.reportingCategory == "charge")
        #expect(t.source?.id == "ch_1PgafuB7WZ01zgkWXYmPNZs8")
        #expect(t.exchangeRate == nil)
    }

    @Test func expandedSourceKeepsTheId() throws {
        let charge = try #require(Self.resources["charge"])
        let t = try decode("balance_transaction", as: BalanceTransaction.self) {
            $0["source"] = charge; $0["exchange_rate"] = 1.0843
        }
        #expect(t.source?.id == "ch_1PgafuB7WZ01zgkWXYmPNZs8")
        #expect(t.exchangeRate == Decimal(string: "1.0843"))
    }

    @Test func chargeKeepsOnlyBrandAndLast4() throws {
        let c = try decode("charge", as: Charge.self)
        #expect(c.id == "ch_1PgafuB7WZ01zgkWXYmPNZs8")
        #expect(c.status == .succeeded)
        // The fixture's card was issued in the US: the country is kept (it prices the charge), nothing else.
        #expect(c.paymentMethodDetails?.card == .init(brand: "visa", last4: "4242", country: "US"))
        // Authorized but never captured: not a payment.
        #expect(c.captured == false)
        #expect(!c.isPayment)
        let encoded = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(!encoded.contains("fingerprint"))
        #expect(!encoded.contains("exp_year"))
    }

    @Test func refundDisputePayoutAndEvent() throws {
        let r = try decode("refund", as: Refund.self)
        #expect(r.id == "re_1Pgc72B7WZ01zgkWqPvrRrPE" && r.charge?.id == "ch_1PgafuB7WZ01zgkWXYmPNZs8" && r.status == .succeeded)
        let d = try decode("dispute", as: Dispute.self)
        #expect(d.id == "dp_1Pgc71B7WZ01zgkWMevJiAUx" && d.amount == 1000 && d.reason == "general")
        // A status payrecon does not know decodes as itself.
        #expect(d.status.rawValue == "warning_needs_response")
        let p = try decode("payout", as: Payout.self)
        #expect(p.id == "po_1Pgc79B7WZ01zgkWu1KToYf4" && p.status == .inTransit && p.reconciliationStatus == "completed" && !p.didFail)
        let e = try decode("event", as: StripeEvent.self)
        #expect(e.type == "plan.created")
        #expect(e.data.object["id"]?.stringValue == "price_1PgafmB7WZ01zgkW6dKueIc5")
    }

    @Test func unknownEnumValuesAndFieldsDoNotBreakDecoding() throws {
        let c = try decode("charge", as: Charge.self) {
            $0["status"] = "quantum_pending"; $0["brand_new_field"] = ["x": 1]
        }
        #expect(c.status.rawValue == "quantum_pending")
        #expect(!c.isPayment)
        let p = try decode("payout", as: Payout.self) {
            $0["status"] = "failed"; $0["type"] = "crypto_wallet"
        }
        #expect(p.didFail)
        let t = try decode("balance_transaction", as: BalanceTransaction.self) { $0["type"] = "climate_order_purchase" }
        #expect(t.type.rawValue == "climate_order_purchase")
    }

    @Test func anUnknownCurrencyIsADecodingError() {
        #expect(throws: DecodingError.self) { try decode("refund", as: Refund.self) { $0["currency"] = "zzz" } }
    }
}

extension StripeFixtureTests {
    @Test func paymentIntent() throws {
        let intent = try decode("payment_intent", as: PaymentIntent.self)
        #expect(intent.id == "pi_1PgafyB7WZ01zgkWSjxsAJo3" && intent.money == Money(minorUnits: 1099, currency: .usd))
        #expect(intent.clientSecret?.hasPrefix("pi_1PgafyB7WZ01zgkWSjxsAJo3_secret_") == true)
        #expect(intent.latestCharge == nil)
    }
}
