/// What a match's Stripe side did to the balance: the fee Stripe took and the net it credited, in the
/// settlement currency, summed over the match's balance transactions, and the payouts they went out in
/// (none yet while they wait in the balance).
public struct MatchSettlement: Hashable, Sendable {
    public let fee: Money
    public let net: Money
    public let payoutIds: [String]

    public init(fee: Money, net: Money, payoutIds: [String]) {
        precondition(fee.currency == net.currency, "a settlement is in one currency")
        self.fee = fee; self.net = net; self.payoutIds = payoutIds
    }

    public var currency: Currency { net.currency }
}
