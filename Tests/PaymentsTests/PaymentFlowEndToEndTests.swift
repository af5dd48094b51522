import Core
import Extract
import Foundation
import Logging
import Payments
import PaymentsPostgres
import PaymentsStore
import Reconcile
import Stages
import Store
import StripeAPI
import TestSupport
import Testing

/// The whole flow against localstripe over real HTTPS: quote → PaymentIntent → confirm with a
/// test card → signed webhook → order, ledger entry, invoice PDF → email in the SMTP sink →
/// supplier notification (after a failed first delivery) → partial refund → credit note and ledger
/// refund → the nightly reconciliation finds nothing wrong. The same on PostgreSQL, whose payments
/// ledger the nightly run imports through its ledger source.
@Suite(.serialized) struct PaymentFlowEndToEndTests {
    @Test(arguments: [false, true]) func quoteToPaidOrderToPartialRefund(onPostgres: Bool) async throws {
        let postgres = try onPostgres ? PostgresServer() : nil
        defer { postgres?.stop() }
        let harness = try await PaymentsHarness(
            tls: true, withLocalstripe: true, failingNotifications: 1, postgresURL: try postgres?.freshDatabase().url)
        do {
            try await run(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    func run(_ harness: PaymentsHarness) async throws {
        // 1. The backend asks for a PaymentIntent; the amount sent ("amount": 1) is ignored.
        let first = try await harness.backend("POST", "/quotes/Q-1001/payment-intent", json: PaymentsHarness.quoteJSON)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.headers["strict-transport-security"]?.hasPrefix("max-age=31536000") == true)
        let intentId = try #require(first.json["payment_intent_id"] as? String)
        // 3 × 19.99 + 5.00 = 64.97, 19 % tax 12.34 → 77.31 (by hand).
        #expect(first.json["amount"] as? String == "77.31")
        #expect(first.json["currency"] as? String == "EUR")
        #expect(first.json["order_id"] as? String == "ord_Q-1001")
        #expect((first.json["client_secret"] as? String)?.hasPrefix(intentId) == true)
        let again = try await harness.backend("POST", "/quotes/Q-1001/payment-intent", json: PaymentsHarness.quoteJSON)
        #expect(again.json["payment_intent_id"] as? String == intentId)
        let changed = try await harness.backend(
            "POST", "/quotes/Q-1001/payment-intent",
            json: PaymentsHarness.quoteJSON.replacingOccurrences(of: "\"quantity\": 3", with: "\"quantity\": 4"))
        #expect(changed.status == 409)

        // 2. The buyer pays in the Payment Element (here: localstripe's test card, then confirm).
        let stripe = StripeClient(baseURL: harness.localstripe!.baseURL, apiKey: try APIKey(PaymentsHarness.apiKey), logger: Logger(label: "buyer"))
        let intent: PaymentIntent = try await stripe.get("/v1/payment_intents/\(intentId)")
        #expect(intent.amount == 7731)
        #expect(intent.metadata?["order_id"] == "ord_Q-1001")
        let _: PaymentIntent = try await stripe.post(
            "/v1/payment_intents/\(intentId)", form: [("payment_method", "pm_card_visa")], idempotencyKey: "buyer-attach")
        let confirmed: PaymentIntent = try await stripe.post("/v1/payment_intents/\(intentId)/confirm", form: [], idempotencyKey: "buyer-confirm")
        #expect(confirmed.status == "succeeded")

        // 3. localstripe's signed payment_intent.succeeded arrives; the order is booked.
        // Generous: a CI machine running every suite at once can keep the render threads (nice 5) waiting.
        let booked = try await harness.eventually(seconds: 60) { try harness.payments.order("ord_Q-1001") != nil }
        let inbox = try harness.payments.webhookEvents().map { "\($0.type) \($0.status) \($0.attempts) \($0.error ?? "")" }
        #expect(booked, "no order after the webhook; the inbox: \(inbox)")
        let order = try #require(try harness.payments.order("ord_Q-1001"))
        #expect(order.invoiceNumber == "INV-000001")
        #expect(order.amount.minorUnits == 7731)
        #expect(order.paymentIntentId.rawValue == intentId)
        let ledger = try harness.payments.ledgerEntries(order: "ord_Q-1001")
        #expect(ledger.map(\.kind) == [.payment])
        #expect(ledger.first?.stripeId == intentId)
        #expect(ledger.first?.amount.minorUnits == 7731)
        let invoice = try #require(try harness.payments.documents(order: "ord_Q-1001").first)
        let invoiceText = try PDFText.extract(path: invoice.path)
        for expected in ["Invoice INV-000001", "Zoë Müller GmbH", "Łódź Tools", "Crème brûlée torch", "Gas refill €-pack", "77.31 EUR", "12.34 EUR"] {
            #expect(invoiceText.contains(expected), "invoice lacks \(expected)")
        }

        // 4. The invoice reaches the buyer's mailbox with the PDF attached (over STARTTLS: the sink refuses plain mail).
        #expect(try await harness.eventually { !harness.files(in: harness.mailDirectory, suffix: ".eml").isEmpty })
        let mail = try String(contentsOf: try #require(harness.files(in: harness.mailDirectory, suffix: ".eml").first), encoding: .utf8)
        #expect(mail.contains("X-Envelope-To: zoe@buyer.example"))
        #expect(mail.contains("filename=\"INV-000001.pdf\""))
        let attached = try #require(MailAttachment.pdf(in: mail))
        #expect(try PDFText.extract(attached).contains("Invoice INV-000001"))

        // 5. The supplier is told, after the receiver refused the first attempt.
        #expect(try await harness.eventually { !harness.files(in: harness.notificationDirectory, suffix: ".json").isEmpty })
        let notification =
            try JSONSerialization.jsonObject(with: Data(contentsOf: harness.files(in: harness.notificationDirectory, suffix: ".json")[0]))
            as? [String: Any]
        let payload = try JSONSerialization.jsonObject(with: Data((notification?["body"] as? String ?? "").utf8)) as? [String: Any]
        #expect(payload?["event"] as? String == "order.paid")
        #expect(payload?["supplier_id"] as? String == "S-3")
        #expect(payload?["amount"] as? String == "77.31")
        let status = try await harness.backend("GET", "/orders/ord_Q-1001")
        let deliveries = status.json["deliveries"] as? [[String: Any]] ?? []
        #expect(deliveries.first { $0["channel"] as? String == "supplier_notification" }?["attempts"] as? Int == 2)
        #expect(deliveries.allSatisfy { $0["status"] as? String == "delivered" })

        // 6. A partial refund: credit note, ledger refund; the same request key again changes nothing.
        let refund = try await harness.backend(
            "POST", "/orders/ord_Q-1001/refunds", json: #"{"amount": "20.00", "reason": "one torch damaged"}"#,
            headers: ["Idempotency-Key": "refund-req-1"])
        #expect(refund.status == 200, "\(refund.text)")
        #expect(refund.json["status"] as? String == "succeeded")
        #expect(refund.json["credit_note"] as? String == "CN-000001")
        let refundId = try #require(refund.json["refund_id"] as? String)
        let replay = try await harness.backend(
            "POST", "/orders/ord_Q-1001/refunds", json: #"{"amount": "20.00", "reason": "one torch damaged"}"#,
            headers: ["Idempotency-Key": "refund-req-1"])
        #expect(replay.json["refund_id"] as? String == refundId)
        let tooMuch = try await harness.backend(
            "POST", "/orders/ord_Q-1001/refunds", json: #"{"amount": "60.00"}"#,
            headers: ["Idempotency-Key": "refund-req-2"])
        #expect(tooMuch.status == 422)
        #expect(tooMuch.text.contains("57.31 EUR"))
        let entries = try harness.payments.ledgerEntries(order: "ord_Q-1001")
        #expect(entries.map(\.kind) == [.payment, .refund])
        #expect(entries.last?.stripeId == refundId)
        #expect(entries.last?.amount.minorUnits == 2000)
        let note = try #require(try harness.payments.documents(order: "ord_Q-1001").first { $0.kind == .creditNote })
        let noteText = try PDFText.extract(path: note.path)
        #expect(noteText.contains("Credit note CN-000001"))
        #expect(noteText.contains("Credit for invoice INV-000001: one torch damaged"))
        #expect(noteText.contains("20.00 EUR"))
        #expect(try await harness.eventually { harness.files(in: harness.mailDirectory, suffix: ".eml").count == 2 })

        // 7. A declined card (localstripe declines at charge time only its 4000000000000341 card): Stripe's payment_intent.payment_failed is recorded, and no order is booked.
        let declinedQuote = try await harness.backend("POST", "/quotes/Q-1002/payment-intent", json: PaymentsHarness.quoteJSON)
        let declinedId = try #require(declinedQuote.json["payment_intent_id"] as? String)
        let _: PaymentIntent = try await stripe.post(
            "/v1/payment_intents/\(declinedId)", form: [("payment_method", "pm_card_chargeCustomerFail")],
            idempotencyKey: "buyer-attach-2")
        _ = try? await stripe.post("/v1/payment_intents/\(declinedId)/confirm", form: [], idempotencyKey: "buyer-confirm-2", as: PaymentIntent.self)
        #expect(try await harness.eventually { !(try harness.payments.paymentFailures(paymentIntent: PaymentIntentID(declinedId)).isEmpty) })
        #expect(try harness.payments.paymentFailures(paymentIntent: PaymentIntentID(declinedId)).first?.code == "card_declined")
        #expect(try harness.payments.order("ord_Q-1002") == nil)

        // 8. The nightly reconciliation over this store finds nothing wrong with these orders.
        let now = PaymentsService.systemNow()
        if harness.postgresURL != nil { return try await importsThePaymentsLedger(harness, entries: entries, at: now) }
        let today = ISO8601Time.format(now).prefix(10)
        let period = try ReportingPeriod(from: String(today), to: String(today))
        let (result, _) = try ReconcileStage(store: harness.store).run(period: period, options: .init(), now: now.adding(seconds: 7 * 86_400))
        #expect(result.discrepancies.isEmpty, "\(result.discrepancies)")
        #expect(result.matches.allSatisfy { $0.rule == .stripeId || $0.rule == .refundAmount }, "\(result.matches)")
        #expect(result.matches.count == 2)
    }
}

extension PaymentFlowEndToEndTests {
    /// On PostgreSQL the nightly run's ledger sync reads serve's ledger with the query it names
    /// (`serve.postgres_url_env`): the entries arrive in the store as serve booked them.
    func importsThePaymentsLedger(_ harness: PaymentsHarness, entries: [LedgerEntry], at now: Timestamp) async throws {
        guard let payments = harness.payments as? PostgresPaymentsStore else { throw StormError(message: "not on PostgreSQL") }
        let booked = try payments.ledgerEntries()
        #expect(booked == entries)
        let url = try #require(harness.postgresURL)
        let source = try PostgresLedgerSource(
            urlEnvironmentVariable: "PAYMENTS_DATABASE_URL", query: PostgresPaymentsStore.ledgerQuery, environment: ["PAYMENTS_DATABASE_URL": url])
        let summary = try await LedgerImportStage(runner: StageRunner(store: harness.store)).run([source])
        #expect(summary.entries == 2)
        for entry in booked {
            let imported = try harness.store.loadLedger(from: entry.createdAt, to: entry.createdAt.adding(seconds: 1)).filter {
                $0.entryId == entry.entryId
            }
            #expect(imported == [entry], "\(imported) is not \(entry)")
        }
    }
}

/// The first PDF attachment of a MIME message, decoded.
enum MailAttachment {
    static func pdf(in mail: String) -> [UInt8]? {
        guard let header = mail.range(of: "Content-Type: application/pdf"),
            let start = mail.range(of: "\r\n\r\n", range: header.upperBound..<mail.endIndex)
                ?? mail.range(of: "\n\n", range: header.upperBound..<mail.endIndex),
            let end = mail.range(of: "--", range: start.upperBound..<mail.endIndex)
        else { return nil }
        let base64 = mail[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(base64)).map(Array.init)
    }
}
