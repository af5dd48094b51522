/// What a restricted key (rk_) refused with 403 needs: the permission Stripe names in its message
/// ("Having the 'rak_charge_read' permission would allow this request to continue"), or else the
/// resource the endpoint reads, said so that the person holding the Dashboard can grant it. The key
/// itself is never repeated: Stripe's message shows a masked form only, and that is dropped too.
enum RestrictedKeyAdvice {
    /// The Dashboard's resource for each endpoint payrecon reads (docs/extraction.md lists them).
    static let resources: [(prefix: String, resource: String)] = [
        ("/v1/balance_transactions", "Balance transaction sources and Balance (Read)"), ("/v1/charges", "Charges (Read)"),
        ("/v1/refunds", "Refunds (Read)"), ("/v1/disputes", "Disputes (Read)"), ("/v1/payouts", "Payouts (Read)"),
        ("/v1/payment_intents", "PaymentIntents (Write)"), ("/v1/events", "Events (Read)"),
    ]

    static func explain(_ stripeMessage: String, path: String) -> String {
        let resource = resources.first { path.hasPrefix($0.prefix) }?.resource ?? "the resource behind \(path)"
        var advice = "the restricted API key may not call \(path)"
        if let permission = permission(in: stripeMessage) { advice += ": it lacks the permission \(permission)" }
        return advice + "; grant \(resource) to the key in the Stripe Dashboard (docs/extraction.md lists every permission payrecon needs)"
    }

    /// `rak_…` as Stripe quotes it.
    static func permission(in message: String) -> String? {
        guard let start = message.range(of: "'rak_") else { return nil }
        let rest = message[message.index(after: start.lowerBound)...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        let name = rest[..<end]
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? String(name) : nil
    }
}
