/// A payout from the Stripe balance to the marketplace's bank, in the settlement currency.
/// The destination bank account is deliberately not decoded. https://docs.stripe.com/api/payouts/object
public struct Payout: Hashable, Sendable, Codable, Identifiable {
    public var object: String = "payout"
    public let id: PayoutID
    public let amount: Int64
    public let currency: Currency
    public let status: PayoutStatus
    public let created: Int64
    public let arrivalDate: Int64?
    public let automatic: Bool?
    public let balanceTransaction: ExpandableID?
    public let failureBalanceTransaction: ExpandableID?
    public let failureCode: String?
    public let failureMessage: String?
    public let reconciliationStatus: String?
    public let reversedBy: ExpandableID?
    public let originalPayout: ExpandableID?

    public init(
        id: PayoutID, amount: Int64, currency: Currency, status: PayoutStatus, created: Int64,
        arrivalDate: Int64?, balanceTransaction: String?, failureBalanceTransaction: String? = nil,
        failureCode: String? = nil, failureMessage: String? = nil, reconciliationStatus: String? = "completed",
        reversedBy: String? = nil
    ) {
        self.id = id; self.amount = amount; self.currency = currency; self.status = status; self.created = created
        self.arrivalDate = arrivalDate; self.automatic = true; self.balanceTransaction = balanceTransaction.map { ExpandableID($0) }
        self.failureBalanceTransaction = failureBalanceTransaction.map { ExpandableID($0) }; self.failureCode = failureCode
        self.failureMessage = failureMessage; self.reconciliationStatus = reconciliationStatus
        self.reversedBy = reversedBy.map { ExpandableID($0) }; self.originalPayout = nil
    }

    enum CodingKeys: String, CodingKey {
        case object, id, amount, currency, status, created, automatic
        case arrivalDate = "arrival_date"
        case balanceTransaction = "balance_transaction"
        case failureBalanceTransaction = "failure_balance_transaction"
        case failureCode = "failure_code"
        case failureMessage = "failure_message"
        case reconciliationStatus = "reconciliation_status"
        case reversedBy = "reversed_by"
        case originalPayout = "original_payout"
    }

    public var createdAt: Timestamp { Timestamp(seconds: created) }
    public var money: Money { Money(minorUnits: amount, currency: currency) }
    /// A payout that failed or was reversed never reached the bank as paid.
    public var didFail: Bool { status == .failed || status == .canceled || reversedBy != nil }
}
