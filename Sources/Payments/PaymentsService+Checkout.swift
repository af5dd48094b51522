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
        let linked = try await linkedIntent(quoteId: quoteId, expires: expires, signature: signature)
        let intent = linked.intent
        if Self.settledStatuses.contains(intent.status) {
            return CheckoutPage.result(
                orderId: linked.stored.orderId, status: intent.status, invoice: try invoiceNumber(intent.id), retryPath: nil)
        }
        guard let secret = intent.clientSecret else {
            throw PaymentsError(status: 502, code: "stripe_error", message: "Stripe returned no client_secret")
        }
        let seconds = Int64(expires ?? "") ?? 0
        return CheckoutPage.checkout(
            quote: linked.quote, total: linked.stored.total, publishableKey: linked.checkout.publishableKey, clientSecret: secret,
            returnURL: origin + linked.link.path(quoteId: quoteId, expires: seconds, suffix: "/return"))
    }

    /// `GET /pay/{quote_id}/return`: where Stripe sends the buyer after confirming; the payment's state
    /// as Stripe has it now (the webhook books the order; this page only tells).
    public func checkoutReturn(quoteId: String, expires: String?, signature: String?) async throws(PaymentsError) -> String {
        let linked = try await linkedIntent(quoteId: quoteId, expires: expires, signature: signature)
        let intent = linked.intent
        return CheckoutPage.result(
            orderId: linked.stored.orderId, status: intent.status, invoice: try invoiceNumber(intent.id),
            retryPath: Self.settledStatuses.contains(intent.status) ? nil : linked.link.path(quoteId: quoteId, expires: Int64(expires ?? "") ?? 0))
    }

    /// PaymentIntent states in which the buyer has nothing left to do on the page.
    static let settledStatuses: Set<String> = ["succeeded", "processing", "requires_capture"]

    /// What both pages start from: the link checked, the quote payable, and its PaymentIntent as Stripe has it now.
    private func linkedIntent(quoteId: String, expires: String?, signature: String?) async throws(PaymentsError) -> LinkedIntent {
        let (link, checkout) = try checkoutSettings()
        try link.verify(quoteId: quoteId, expires: expires, signature: signature, now: clock())
        let (stored, quote, intentId) = try await payable(quoteId)
        do {
            let intent: PaymentIntent = try await stripe.get("/v1/payment_intents/\(intentId.rawValue)")
            return LinkedIntent(link: link, checkout: checkout, stored: stored, quote: quote, intent: intent)
        } catch {
            throw answer(for: error, doing: "load the PaymentIntent")
        }
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

/// A checkout link's quote with its PaymentIntent, as `linkedIntent` found them.
struct LinkedIntent {
    let link: CheckoutLink
    let checkout: PaymentsConfiguration.Checkout
    let stored: StoredQuote
    let quote: Quote
    let intent: PaymentIntent
}
