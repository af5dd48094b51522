import Core
import Foundation

/// The body of `POST /quotes/{id}/payment-intent`, as the marketplace backend sends it. Prices are
/// exact decimal strings in major units ("19.99"), like the ledger CSV. There is no amount field:
/// payrecon computes what to charge from the lines and the tax rate, and ignores any total sent.
public struct QuoteRequest: Sendable, Decodable {
    public struct Line: Sendable, Decodable {
        public let description: String
        public let quantity: Int64
        public let unitPrice: String
        enum CodingKeys: String, CodingKey {
            case description, quantity
            case unitPrice = "unit_price"
        }
    }
    public let status: String
    public let buyer: Quote.Party
    public let supplier: Quote.Party
    public let currency: String
    public let lines: [Line]
    public let taxRateBasisPoints: Int64?

    enum CodingKeys: String, CodingKey {
        case status, buyer, supplier, currency, lines
        case taxRateBasisPoints = "tax_rate_bps"
    }

    /// The checked quote, with anything that looks like a card number masked in its free text.
    public func quote(id: String) throws(PaymentsError) -> Quote {
        guard Self.isValidId(id) else { throw .invalid("quote id", "1–64 letters, digits, '-', '_' or '.'") }
        guard status == "approved" else { throw .invalid("status", "the quote must be approved before it is paid (got '\(status)')") }
        let currency: Currency
        do { currency = try Currency(code: self.currency) } catch { throw .invalid("currency", "an ISO 4217 code such as EUR") }
        guard !lines.isEmpty else { throw .invalid("lines", "at least one line") }
        var checked: [Quote.Line] = []
        for (index, line) in lines.enumerated() {
            guard line.quantity > 0, line.quantity <= 1_000_000 else {
                throw .invalid("lines[\(index)].quantity", "a whole number from 1 to 1000000")
            }
            let unit: Int64
            do { unit = try DecimalAmount.parse(line.unitPrice, currency: currency) } catch {
                throw .invalid("lines[\(index)].unit_price", "\(error)")
            }
            guard unit >= 0 else { throw .invalid("lines[\(index)].unit_price", "not negative") }
            guard !line.description.isEmpty, line.description.count <= 500 else {
                throw .invalid("lines[\(index)].description", "1–500 characters")
            }
            checked.append(Quote.Line(description: CardNumberMask.mask(line.description), quantity: line.quantity, unitAmount: unit))
        }
        let rate = taxRateBasisPoints ?? 0
        guard (0...10_000).contains(rate) else { throw .invalid("tax_rate_bps", "basis points from 0 to 10000 (1900 = 19 %)") }
        for (field, party) in [("buyer", buyer), ("supplier", supplier)] where party.id.isEmpty || party.name.isEmpty {
            throw .invalid(field, "an id and a name")
        }
        guard let email = buyer.email, email.contains("@") else { throw .invalid("buyer.email", "the address the invoice is sent to") }
        let quote = Quote(
            id: id, buyer: Self.masked(buyer), supplier: Self.masked(supplier), currency: currency, lines: checked,
            taxRateBasisPoints: rate)
        do {
            guard try quote.total().minorUnits > 0 else { throw PaymentsError.invalid("lines", "a total above zero") }
        } catch let error as PaymentsError { throw error } catch {
            throw .invalid("lines", "a total that fits in 64-bit minor units")
        }
        return quote
    }

    static func masked(_ party: Quote.Party) -> Quote.Party {
        Quote.Party(
            id: CardNumberMask.mask(party.id), name: CardNumberMask.mask(party.name), email: party.email,
            address: party.address.map(CardNumberMask.mask), taxId: party.taxId.map(CardNumberMask.mask))
    }

    static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
            }
    }
}
