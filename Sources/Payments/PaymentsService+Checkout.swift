import Core
import Foundation
import PaymentsStore

/// The buyer's checkout page and return page (`CheckoutPage`), behind signed expiring links.
extension PaymentsService {
    /// The link the quote endpoint hands out, when a checkout page is configured.
    func checkoutURL(quoteId: String) -> String? {
        guard let checkout = configuration.checkout, let secret = secrets.checkoutSecret else { return nil }
        let expires = clock().seconds + Int64(checkout.linkTTLHours) * 3_600
        let base = checkout.publicURL.hasSuffix("/") ? String(checkout.publicURL.dropLast()) : checkout.publicURL
        return base + CheckoutLink(secret: secret).path(quoteId: quoteId, expires: expires)
    }

    /// `GET /pay/{quote_id}`: the Payment Element for the quote's PaymentIntent; once it is paid (or
    /// being paid), its state instead. `origin` is where the buyer reached this server: the return URL
    /// points back there.
    public func checkoutPage(quoteId: String, expires: String?, signature: String?, origin: String) async throws(PaymentsError) -> String {
        let (link, checkout) = try checkoutSettings()
        try link.verify(quoteId: quoteId, expires: expires, signature: signature, now: clock())
        let (stored, quote, intentId) = try await payable(quoteId)
        let intent: PaymentIntent
        do { intent = try await stripe.get("/v1/payment_intents/\(intentId.rawValue)") } catch {
            throw answer(for: error, doing: "load the PaymentIntent")
        }
        if ["succeeded", "processing", "requires_capture"].contains(intent.status) {
            return CheckoutPage.result(orderId: stored.orderId, status: intent.status, invoice: try invoiceNumber(intentId), retryPath: nil)
        }
        guard let secret = intent.clientSecret else {
            throw PaymentsError(status: 502, code: "stripe_error", message: "Stripe returned no client_secret")
        }
        let seconds = Int64(expires ?? "") ?? 0
        return CheckoutPage.checkout(
            quote: quote, total: stored.total, publishableKey: checkout.publishableKey, clientSecret: secret,
            returnURL: origin + link.path(quoteId: quoteId, expires: seconds, suffix: "/return"))
    }

    /// `GET /pay/{quote_id}/return`: where Stripe sends the buyer after confirming; the payment's state
    /// as Stripe has it now (the webhook books the order; this page only tells).
    public func checkoutReturn(quoteId: String, expires: String?, signature: String?) async throws(PaymentsError) -> String {
        let (link, _) = try checkoutSettings()
        try link.verify(quoteId: quoteId, expires: expires, signature: signature, now: clock())
        let (stored, _, intentId) = try await payable(quoteId)
        let intent: PaymentIntent
        do { intent = try await stripe.get("/v1/payment_intents/\(intentId.rawValue)") } catch {
            throw answer(for: error, doing: "load the PaymentIntent")
        }
        let settled = ["succeeded", "processing", "requires_capture"].contains(intent.status)
        return CheckoutPage.result(
            orderId: stored.orderId, status: intent.status, invoice: try invoiceNumber(intentId),
            retryPath: settled ? nil : link.path(quoteId: quoteId, expires: Int64(expires ?? "") ?? 0))
    }

    private func checkoutSettings() throws(PaymentsError) -> (CheckoutLink, PaymentsConfiguration.Checkout) {
        guard let checkout = configuration.checkout, let secret = secrets.checkoutSecret else {
            throw PaymentsError(status: 404, code: "not_found", message: "no checkout page is configured")
        }
        return (CheckoutLink(secret: secret), checkout)
    }

    private func payable(_ quoteId: String) async throws(PaymentsError) -> (StoredQuote, Quote, PaymentIntentID) {
        let found: StoredQuote?
        do { found = try store.readPayments(at: clock()) { try $0.quote(id: quoteId) } } catch { throw answer(for: error, doing: "read the quote") }
        guard let stored = found, let intentId = stored.paymentIntentId,
            let quote = try? JSONDecoder().decode(Quote.self, from: Data(stored.quoteJSON.utf8))
        else {
            throw PaymentsError(status: 404, code: "not_found", message: "this order cannot be paid here yet; ask the marketplace")
        }
        return (stored, quote, intentId)
    }

    private func invoiceNumber(_ intent: PaymentIntentID) throws(PaymentsError) -> String? {
        do { return try store.readPayments(at: clock()) { try $0.order(forPaymentIntent: intent)?.invoiceNumber } } catch {
            throw answer(for: error, doing: "read the order")
        }
    }
}
