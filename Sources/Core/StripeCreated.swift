/// A Stripe object with a `created` time (seconds): what a list is ordered by and windowed on.
public protocol StripeCreated {
    var created: Int64 { get }
}

extension BalanceTransaction: StripeCreated {}
extension Charge: StripeCreated {}
extension Refund: StripeCreated {}
extension Dispute: StripeCreated {}
extension Payout: StripeCreated {}
