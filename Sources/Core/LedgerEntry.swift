/// One row of the marketplace's own books: a payment, a refund or a dispute of an order.
public struct LedgerEntry: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable { case payment, refund, dispute }

    public let entryId: LedgerEntryID
    public let orderId: OrderID
    public let kind: Kind
    /// Positive, in the currency the ledger booked.
    public let amount: Money
    /// pi_/ch_ for payments, re_ for refunds, du_/dp_ for disputes; nil when the ledger did not record it.
    public let stripeId: String?
    public let createdAt: Timestamp
    public let supplierId: String?

    public init(
        entryId: LedgerEntryID, orderId: OrderID, kind: Kind, amount: Money, stripeId: String?,
        createdAt: Timestamp, supplierId: String?
    ) {
        self.entryId = entryId; self.orderId = orderId; self.kind = kind; self.amount = amount
        self.stripeId = stripeId; self.createdAt = createdAt; self.supplierId = supplierId
    }
}
