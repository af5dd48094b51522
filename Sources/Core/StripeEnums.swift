// Stripe's string enums. Each decodes any value (see StripeEnumeration); the constants are the
// values payrecon acts on. Field meanings: https://docs.stripe.com/api.

public struct ChargeStatus: StripeEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let succeeded: Self = "succeeded"
    public static let pending: Self = "pending"
    public static let failed: Self = "failed"
}

public struct RefundStatus: StripeEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let succeeded: Self = "succeeded"
    public static let pending: Self = "pending"
    public static let requiresAction: Self = "requires_action"
    public static let failed: Self = "failed"
    public static let canceled: Self = "canceled"
}

public struct DisputeStatus: StripeEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let needsResponse: Self = "needs_response"
    public static let underReview: Self = "under_review"
    public static let won: Self = "won"
    public static let lost: Self = "lost"
    public static let warningNeedsResponse: Self = "warning_needs_response"
    public static let warningUnderReview: Self = "warning_under_review"
    public static let warningClosed: Self = "warning_closed"

    /// An inquiry (a `warning_*` status) asks questions before a chargeback: it moves no money.
    public var isInquiry: Bool { rawValue.hasPrefix("warning_") }
}

public struct PayoutStatus: StripeEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let paid: Self = "paid"
    public static let pending: Self = "pending"
    public static let inTransit: Self = "in_transit"
    public static let canceled: Self = "canceled"
    public static let failed: Self = "failed"
}

public struct BalanceTransactionType: StripeEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let charge: Self = "charge"
    public static let payment: Self = "payment"
    public static let refund: Self = "refund"
    public static let adjustment: Self = "adjustment"
    public static let payout: Self = "payout"
    public static let payoutFailure: Self = "payout_failure"
    public static let payoutCancel: Self = "payout_cancel"
    public static let stripeFee: Self = "stripe_fee"
    public static let taxFee: Self = "tax_fee"
    public static let applicationFee: Self = "application_fee"
    public static let transfer: Self = "transfer"
    public static let reserveTransaction: Self = "reserve_transaction"
    public static let contribution: Self = "contribution"
    public static let refundFailure: Self = "refund_failure"
}
