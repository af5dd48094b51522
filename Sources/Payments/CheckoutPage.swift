import Core
import Foundation

/// The buyer's pages: the checkout (Stripe's Payment Element mounted by `checkout.js`, loaded from
/// js.stripe.com; card data goes from the buyer's browser to Stripe only) and the return page. No
/// inline script or style: the Content-Security-Policy allows scripts from this server and Stripe
/// only, frames and connections to Stripe only.
enum CheckoutPage {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; "
        + "connect-src https://api.stripe.com; img-src 'self' https://*.stripe.com; style-src 'self'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'"

    /// Mounts the Payment Element with the page's client secret and confirms with the return URL.
    static let script = """
        // payrecon checkout: the Payment Element collects the payment; Stripe confirms it and sends the buyer back.
        const form = document.getElementById('payment-form');
        const message = document.getElementById('message');
        const button = document.getElementById('submit');
        const stripe = Stripe(form.dataset.publishableKey);
        const elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
        elements.create('payment').mount('#payment-element');
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          button.disabled = true;
          message.textContent = '';
          const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: form.dataset.returnUrl } });
          // Only reached when confirming failed at once (a declined card, a missing field): otherwise Stripe redirects.
          if (error) { message.textContent = error.message; button.disabled = false; }
        });
        """

    static let style = """
        body { font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
        h1 { font-size: 1.4rem; } table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
        td { padding: .25rem 0; } td.amount { text-align: right; } #payment-element { margin: 1.5rem 0; }
        button { font-size: 1rem; padding: .6rem 1.2rem; } #message { color: #b00020; }
        """

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title><link rel="stylesheet" href="/pay/assets/checkout.css">
        <script src="https://js.stripe.com/v3/"></script><script src="/pay/assets/checkout.js" defer></script>
        </head><body><main>
        \(body)
        </main></body></html>
        """
    }

    /// The order's lines and total, and the form the Payment Element mounts in.
    static func checkout(quote: Quote, total: Money, publishableKey: String, clientSecret: String, returnURL: String) -> String {
        let lines = quote.lines.map { line in
            "<tr><td>\(escape(line.description)) × \(line.quantity)</td>"
                + "<td class=\"amount\">\(escape((try? quote.lineTotal(line).decimalString) ?? "?"))</td></tr>"
        }.joined()
        return document(
            title: "Pay order \(quote.orderId.rawValue)",
            body: """
                <h1>Pay order \(escape(quote.orderId.rawValue))</h1>
                <p>\(escape(quote.supplier.name)) for \(escape(quote.buyer.name))</p>
                <table>\(lines)<tr><td><strong>Total (tax included)</strong></td><td class="amount"><strong>\(escape(total.decimalString)) \
                \(escape(total.currency.code))</strong></td></tr></table>
                <form id="payment-form" data-publishable-key="\(escape(publishableKey))" data-client-secret="\(escape(clientSecret))" \
                data-return-url="\(escape(returnURL))">
                <div id="payment-element"></div>
                <button id="submit" type="submit">Pay \(escape(total.decimalString)) \(escape(total.currency.code))</button>
                <p id="message" role="alert"></p>
                </form>
                """)
    }

    /// What became of the payment, in the buyer's words.
    static func state(orderId: OrderID, status: String, invoice: String?) -> (heading: String, text: String) {
        switch status {
        case "succeeded":
            return (
                "Payment received",
                "Order \(orderId.rawValue) is paid."
                    + (invoice.map { " Your invoice \($0) is on its way by email." } ?? " Your invoice follows by email.")
            )
        case "processing":
            return (
                "Payment processing",
                "Your bank is processing the payment for order \(orderId.rawValue); this can take a few days. We email you when it has arrived."
            )
        case "requires_capture":
            return ("Payment authorized", "The payment for order \(orderId.rawValue) is authorized and will be taken when the order ships.")
        case "canceled":
            return ("Payment canceled", "The payment for order \(orderId.rawValue) was canceled. Nothing was charged.")
        default:
            return ("Payment not completed", "The payment for order \(orderId.rawValue) did not go through. Nothing was charged; you can try again.")
        }
    }

    static func result(orderId: OrderID, status: String, invoice: String?, retryPath: String?) -> String {
        let (heading, text) = state(orderId: orderId, status: status, invoice: invoice)
        let retry = retryPath.map { "<p><a href=\"\(escape($0))\">Try again</a></p>" } ?? ""
        return document(
            title: heading, body: "<h1 id=\"state\" data-status=\"\(escape(status))\">\(escape(heading))</h1><p>\(escape(text))</p>\(retry)")
    }

    static func problem(_ error: PaymentsError) -> String {
        document(
            title: "Payment link", body: "<h1>Payment link</h1><p id=\"problem\" data-code=\"\(escape(error.code))\">\(escape(error.message))</p>")
    }
}
