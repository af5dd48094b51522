import Core

/// Where a match's money landed: its Stripe objects' balance transactions summed (fee and net in the
/// settlement currency) and the payouts they went out in.
public struct MatchSettlement: Hashable, Sendable {
    public let currency: Currency
    public let fee: Int64
    public let net: Int64
    /// Space-separated payout ids, empty while not paid out (or the payout's links are not known yet).
    public let payouts: String
}
