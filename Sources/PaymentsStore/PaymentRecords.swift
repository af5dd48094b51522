import Core
import Store

/// A quote asked to be paid, as stored: the quote itself (JSON, card numbers masked), a
/// fingerprint of it (a second request for the same quote id must be the same quote), the total
/// payrecon computed and the PaymentIntent made for it.
public struct StoredQuote: Hashable, Sendable {
    public let quoteId: String
    public let orderId: OrderID
    public let fingerprint: String
    public let quoteJSON: String
    public let total: Money
    public var paymentIntentId: PaymentIntentID?

    public init(
        quoteId: String, orderId: OrderID, fingerprint: String, quoteJSON: String, total: Money,
        paymentIntentId: PaymentIntentID? = nil
    ) {
        self.quoteId = quoteId; self.orderId = orderId; self.fingerprint = fingerprint; self.quoteJSON = quoteJSON
        self.total = total; self.paymentIntentId = paymentIntentId
    }
}

/// An order: a quote whose PaymentIntent succeeded.
public struct OrderRecord: Hashable, Sendable {
    public let orderId: OrderID
    public let quoteId: String
    public let paymentIntentId: PaymentIntentID
    public let chargeId: ChargeID?
    public let amount: Money
    public let cardBrand: String?
    public let cardLast4: String?
    public let paidAt: Timestamp
    public let invoiceNumber: String
    public let createdAt: Timestamp

    public init(
        orderId: OrderID, quoteId: String, paymentIntentId: PaymentIntentID, chargeId: ChargeID?, amount: Money,
        cardBrand: String?, cardLast4: String?, paidAt: Timestamp, invoiceNumber: String, createdAt: Timestamp
    ) {
        self.orderId = orderId; self.quoteId = quoteId; self.paymentIntentId = paymentIntentId; self.chargeId = chargeId
        self.amount = amount; self.cardBrand = cardBrand; self.cardLast4 = cardLast4; self.paidAt = paidAt
        self.invoiceNumber = invoiceNumber; self.createdAt = createdAt
    }
}

/// An invoice or credit note PDF, numbered per kind without gaps.
public struct DocumentRecord: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case invoice
        case creditNote = "credit_note"
        /// The printed prefix of the number: INV-000001, CN-000001.
        public var prefix: String { self == .invoice ? "INV" : "CN" }
        /// The sequence number in a document number (`INV-000042` → 42; 0 if it has none).
        public static func sequence(of number: String) -> Int64 { Int64(number.split(separator: "-").last ?? "") ?? 0 }
        /// The document number of the sequence's `sequence`th document: `INV-000042`.
        public func number(_ sequence: Int64) -> String {
            let digits = String(sequence)
            return prefix + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        }
    }
    public let number: String
    public let kind: Kind
    public let orderId: OrderID
    public let refundId: RefundID?
    public let total: Money
    public let path: String
    public let sha256: String
    public let createdAt: Timestamp

    public init(
        number: String, kind: Kind, orderId: OrderID, refundId: RefundID?, total: Money, path: String, sha256: String,
        createdAt: Timestamp
    ) {
        self.number = number; self.kind = kind; self.orderId = orderId; self.refundId = refundId; self.total = total
        self.path = path; self.sha256 = sha256; self.createdAt = createdAt
    }
}

/// A refund asked for through payrecon, keyed by the caller's request key.
public struct RefundRequestRecord: Hashable, Sendable {
    public enum Status: String, Sendable { case requested, pending, succeeded, failed }
    public let requestKey: String
    public let orderId: OrderID
    public let amount: Money
    public let reason: String?
    public let status: Status
    public let refundId: RefundID?
    public let error: String?
    public init(
        requestKey: String, orderId: OrderID, amount: Money, reason: String?, status: Status, refundId: RefundID?, error: String?
    ) {
        self.requestKey = requestKey; self.orderId = orderId; self.amount = amount; self.reason = reason; self.status = status
        self.refundId = refundId; self.error = error
    }
}

/// An email or supplier notification waiting to go out, or gone.
public struct OutboxItem: Hashable, Sendable {
    public enum Channel: String, Sendable {
        case email
        case supplierNotification = "supplier_notification"
    }
    public enum Status: String, Sendable { case pending, delivered, failed }
    public let id: Int64
    public let channel: Channel
    public let dedupeKey: String
    public let orderId: OrderID?
    public let payload: [UInt8]
    public let status: Status
    public let attempts: Int
    public let nextAttemptAt: Timestamp
    public let lastError: String?
    public let deliveredAt: Timestamp?
    public init(
        id: Int64, channel: Channel, dedupeKey: String, orderId: OrderID?, payload: [UInt8], status: Status, attempts: Int,
        nextAttemptAt: Timestamp, lastError: String?, deliveredAt: Timestamp?
    ) {
        self.id = id; self.channel = channel; self.dedupeKey = dedupeKey; self.orderId = orderId; self.payload = payload
        self.status = status; self.attempts = attempts; self.nextAttemptAt = nextAttemptAt; self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}

/// A payment Stripe reports as processing (a bank debit), before it succeeds or fails.
public struct ProcessingRecord: Hashable, Sendable {
    public enum Status: String, Sendable { case processing, succeeded, failed }
    public let paymentIntentId: PaymentIntentID
    public let orderId: OrderID
    public let quoteId: String
    public let status: Status
    /// The payment method's type ("sepa_debit", "us_bank_account"), when the event says.
    public let paymentMethod: String?
    public let since: Timestamp
    public let updatedAt: Timestamp

    public init(
        paymentIntentId: PaymentIntentID, orderId: OrderID, quoteId: String, status: Status, paymentMethod: String?, since: Timestamp,
        updatedAt: Timestamp
    ) {
        self.paymentIntentId = paymentIntentId; self.orderId = orderId; self.quoteId = quoteId; self.status = status
        self.paymentMethod = paymentMethod; self.since = since; self.updatedAt = updatedAt
    }
}
