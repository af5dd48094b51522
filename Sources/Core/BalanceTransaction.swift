import Foundation

/// A movement of money in the Stripe balance, in the settlement currency.
/// https://docs.stripe.com/api/balance_transactions/object
public struct BalanceTransaction: Hashable, Sendable, Codable, Identifiable {
    public var object: String = "balance_transaction"
    public let id: BalanceTransactionID
    /// Gross amount in the settlement currency (negative for refunds, disputes, payouts).
    public let amount: Int64
    public let currency: Currency
    public let net: Int64
    public let fee: Int64
    public let feeDetails: [FeeDetail]?
    /// Presentment-to-settlement rate when the source was converted; nil otherwise.
    public let exchangeRate: Decimal?
    public let created: Int64
    public let availableOn: Int64?
    public let status: String?
    public let type: BalanceTransactionType
    public let reportingCategory: String?
    /// The charge, refund, dispute or payout that caused it (nil for account-level fees).
    public let source: ExpandableID?
    public let description: String?

    public init(
        id: BalanceTransactionID, amount: Int64, currency: Currency, net: Int64, fee: Int64,
        feeDetails: [FeeDetail]? = nil, exchangeRate: Decimal? = nil, created: Int64, availableOn: Int64?,
        status: String? = "available", type: BalanceTransactionType, reportingCategory: String?,
        source: ExpandableID?, description: String? = nil
    ) {
        self.id = id; self.amount = amount; self.currency = currency; self.net = net; self.fee = fee
        self.feeDetails = feeDetails; self.exchangeRate = exchangeRate; self.created = created
        self.availableOn = availableOn; self.status = status; self.type = type
        self.reportingCategory = reportingCategory; self.source = source; self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case object, id, amount, currency, net, fee, created, status, type, source, description
        case feeDetails = "fee_details"
        case exchangeRate = "exchange_rate"
        case availableOn = "available_on"
        case reportingCategory = "reporting_category"
    }

    public var createdAt: Timestamp { Timestamp(seconds: created) }
    public var netMoney: Money { Money(minorUnits: net, currency: currency) }
    public var feeMoney: Money { Money(minorUnits: fee, currency: currency) }
}

public struct FeeDetail: Hashable, Sendable, Codable {
    public let amount: Int64
    public let currency: Currency
    public let type: String
    public let description: String?
    public init(amount: Int64, currency: Currency, type: String, description: String? = nil) {
        self.amount = amount; self.currency = currency; self.type = type; self.description = description
    }
}
