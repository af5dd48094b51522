import Core
import Payments
import TestSupport
import Testing

@Suite struct InvoiceRendererTests {
    static let eur = try! Currency(code: "EUR")
    static let quote = Quote(
        id: "Q-1001", buyer: Quote.Party(id: "B-7", name: "Zoë Müller GmbH", email: "zoe@example.com", address: "Königstraße 5, Stuttgart"),
        supplier: Quote.Party(id: "S-3", name: "Łódź Tools sp. z o.o."), currency: eur,
        lines: [
            Quote.Line(description: "Crème brûlée torch", quantity: 3, unitAmount: 1999),
            Quote.Line(description: "Gas refill €-pack", quantity: 1, unitAmount: 500),
        ],
        taxRateBasisPoints: 1900)
    static let seller = Seller(name: "Marketplace Ltd", address: ["1 Rue de l'Église", "Paris"], taxId: "FR123")

    @Test func invoiceTextReadsBackWithAccentsAndTheEuroSign() throws {
        let document = try InvoiceDocument.invoice(
            number: "INV-000042", issueDate: "2026-11-28", seller: Self.seller,
            quote: Self.quote, orderId: Self.quote.orderId, paymentIntent: "pi_123")
        let pdf = try InvoiceRenderer().render(document)
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = try PDFText.extract(pdf)
        for expected in [
            "Invoice INV-000042", "Zoë Müller GmbH", "Königstraße 5", "Łódź Tools", "Crème brûlée torch",
            "Gas refill €-pack", "Rue de l'Église", "ord_Q-1001", "pi_123", "2026-11-28",
        ] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        // 3 × 19.99 + 5.00 = 64.97; 19 % tax = 12.3443 → 12.34; total 77.31 (worked by hand).
        #expect(text.contains("59.97"))
        #expect(text.contains("64.97 EUR"))
        #expect(text.contains("Tax 19%"))
        #expect(text.contains("12.34 EUR"))
        #expect(text.contains("77.31 EUR"))
    }

    @Test func creditNoteSplitsTheRefundIntoNetAndTaxThatAddUp() throws {
        let refund = Money(minorUnits: 2000, currency: Self.eur)
        let note = InvoiceDocument.creditNote(
            number: "CN-000001", issueDate: "2026-11-29", seller: Self.seller, quote: Self.quote,
            orderId: Self.quote.orderId, refund: "re_9", amount: refund,
            invoiceNumber: "INV-000042", reason: "damaged in transit")
        // 20.00 gross at 19 %: net 16.81 (20 / 1.19 = 16.806…), tax 3.19.
        #expect(note.subtotal.minorUnits == 1681)
        #expect(note.tax.minorUnits == 319)
        let text = try PDFText.extract(try InvoiceRenderer().render(note))
        #expect(text.contains("Credit note CN-000001"))
        #expect(text.contains("Credit for invoice INV-000042: damaged in transit"))
        #expect(text.contains("20.00 EUR"))
        #expect(text.contains("re_9"))
    }

    @Test func zeroAndThreeDecimalCurrenciesShowTheirOwnDecimals() throws {
        for (code, unit, shown) in [("JPY", Int64(1500), "1500 JPY"), ("KWD", Int64(1250), "1.250 KWD")] {
            let quote = Quote(
                id: "Q-\(code)", buyer: Self.quote.buyer, supplier: Self.quote.supplier, currency: try Currency(code: code),
                lines: [Quote.Line(description: "Item", quantity: 1, unitAmount: unit)], taxRateBasisPoints: 0)
            let document = try InvoiceDocument.invoice(
                number: "INV-1", issueDate: "2026-11-28", seller: Self.seller, quote: quote,
                orderId: quote.orderId, paymentIntent: "pi_1")
            #expect(try PDFText.extract(try InvoiceRenderer().render(document)).contains(shown))
        }
    }
}
