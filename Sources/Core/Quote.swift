/// A supplier's quote that the buyer approved: what payrecon charges for. The amount to pay is
/// computed here from the line items and the tax rate, never taken from whoever asks for payment.
public struct Quote: Hashable, Sendable, Codable {
    public struct Party: Hashable, Sendable, Codable {
        public let id: String
        public let name: String
        /// The buyer's invoice goes here; a supplier's may be nil.
        public let email: String?
        public let address: String?
        /// The VAT id an EU B2B invoice names (the buyer's reverse charge depends on it).
        public let taxId: String?
        public init(id: String, name: String, email: String? = nil, address: String? = nil, taxId: String? = nil) {
            self.id = id; self.name = name; self.email = email; self.address = address; self.taxId = taxId
        }
        enum CodingKeys: String, CodingKey {
            case id, name, email, address
            case taxId = "tax_id"
        }
    }

    public struct Line: Hashable, Sendable, Codable {
        public let description: String
        public let quantity: Int64
        /// Price of one unit in the quote's currency, minor units.
        public let unitAmount: Int64
        public init(description: String, quantity: Int64, unitAmount: Int64) {
            self.description = description; self.quantity = quantity; self.unitAmount = unitAmount
        }
        enum CodingKeys: String, CodingKey {
            case description, quantity
            case unitAmount = "unit_amount"
        }
    }

    public let id: String
    public let buyer: Party
    public let supplier: Party
    public let currency: Currency
    public let lines: [Line]
    /// Tax in basis points of the subtotal (1900 = 19 %).
    public let taxRateBasisPoints: Int64

    public init(id: String, buyer: Party, supplier: Party, currency: Currency, lines: [Line], taxRateBasisPoints: Int64) {
        self.id = id; self.buyer = buyer; self.supplier = supplier; self.currency = currency
        self.lines = lines; self.taxRateBasisPoints = taxRateBasisPoints
    }

    enum CodingKeys: String, CodingKey {
        case id, buyer, supplier, currency, lines
        case taxRateBasisPoints = "tax_rate_bps"
    }

    /// The order a paid quote becomes. One quote, one order: the id is derived, so a retried
    /// request can never make a second one.
    public var orderId: OrderID { OrderID("ord_" + id) }

    public func lineTotal(_ line: Line) throws(MoneyError) -> Money {
        let (product, overflow) = line.quantity.multipliedReportingOverflow(by: line.unitAmount)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: product, currency: currency)
    }

    public func subtotal() throws(MoneyError) -> Money {
        var total = Money.zero(currency)
        for line in lines { total = try total.adding(try lineTotal(line)) }
        return total
    }

    /// Tax on the subtotal, rounded half up to the currency's minor unit (one rounding per invoice).
    public func tax() throws(MoneyError) -> Money {
        let subtotal = try subtotal().minorUnits
        let (scaled, overflow) = subtotal.multipliedReportingOverflow(by: taxRateBasisPoints)
        guard !overflow else { throw .overflow }
        return Money(minorUnits: (scaled + 5_000) / 10_000, currency: currency)
    }

    public func total() throws(MoneyError) -> Money { try subtotal().adding(try tax()) }
}
