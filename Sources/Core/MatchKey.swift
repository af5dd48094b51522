/// What a match's rule matched on, as data: an id (a Stripe id, or an order id), or, for the
/// amount-and-time rule, the amount and the window it was found within. Report renders it for people.
public enum MatchKey: Hashable, Sendable, ExpressibleByStringLiteral {
    case id(String)
    /// A ledger payment without an id and an order-less charge of this amount, within this many hours.
    case amountWithin(Money, hours: Int64)

    public init(stringLiteral value: String) { self = .id(value) }

    /// The id, for the rules that match on one.
    public var id: String? {
        if case .id(let id) = self { return id }
        return nil
    }
}
