import Core
import Foundation
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

    /// 200 lines, some with descriptions long enough to wrap (one a single 90-character word): every
    /// line, the totals and "Page n / N" on every page are in the text, and so is the credit note of a
    /// full refund. Page 1 and the last page are written as PNGs under .build/test-output for a person.
    @Test func aLongInvoiceFlowsOntoNumberedPagesAndLosesNoLine() throws {
        let long = "heavy-duty torque wrench set with calibration certificate, storage case and spare ratchets"
        let lines = (1...200).map { (n: Int) -> Quote.Line in
            let name = "Item-" + String(format: "%03d", n)
            let description: String
            if n % 25 == 0 {
                description = name + " " + String(repeating: "Spezialwerkzeug", count: 6)
            } else if n % 7 == 0 {
                description = name + " " + long
            } else {
                description = name + " bolt M\(n % 12 + 4)"
            }
            return Quote.Line(description: description, quantity: Int64(n % 5 + 1), unitAmount: Int64(100 + n))
        }
        let buyer = Quote.Party(
            id: "B-7", name: "Zoë Müller GmbH", email: "zoe@example.com", address: "Königstraße 5, Stuttgart", taxId: "DE999999999")
        let quote = Quote(id: "Q-200", buyer: buyer, supplier: Self.quote.supplier, currency: Self.eur, lines: lines, taxRateBasisPoints: 1900)
        let invoice = try InvoiceDocument.invoice(
            number: "INV-000200", issueDate: "2026-11-30", supplyDate: "2026-11-29", paidWith: "Visa •••• 4242", seller: Self.seller,
            quote: quote, orderId: quote.orderId, paymentIntent: "pi_long")
        // Each line's tax is its share of the document's (rounded once), and the shares add up to it.
        #expect(invoice.lines.reduce(Int64(0)) { $0 + $1.tax.minorUnits } == invoice.tax.minorUnits)
        let note = InvoiceDocument.creditNote(
            number: "CN-000007", issueDate: "2026-12-01", seller: Self.seller, quote: quote, orderId: quote.orderId, refund: "re_long",
            amount: try quote.total(), invoiceNumber: "INV-000200", reason: "order cancelled")
        #expect(note.lines.count == 200 && note.tax == invoice.tax && note.subtotal == invoice.subtotal)
        let output = packageRoot.appendingPathComponent(".build/test-output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for (name, document) in [("invoice-200-lines", invoice), ("credit-note-200-lines", note)] {
            let pdf = try InvoiceRenderer().render(document)
            let text = try PDFText.extract(pdf)
            let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            for (n, line) in document.lines.enumerated() {
                #expect(flat.contains(String(format: "Item-%03d", n + 1)), "\(name): line \(n + 1) is missing")
                #expect(text.contains(line.total.decimalString), "\(name): line \(n + 1)'s net is missing")
            }
            // Wrapped: its words come back on the lines below the amounts, none cut.
            for word in long.split(separator: " ") { #expect(flat.contains(word), "\(name): \(word)") }
            #expect(flat.contains("Spezialwerkzeug"))
            #expect(!text.contains("…"), "\(name): a description was cut")
            let total: String = "Total " + document.total.decimalString + " EUR"
            let net: String = "Net at 19% " + document.subtotal.decimalString + " EUR"
            let tax: String = "Tax 19% " + document.tax.decimalString + " EUR"
            for expected in [total, net, tax, "VAT id: DE999999999", "VAT id: FR123"] {
                #expect(flat.contains(expected), "\(name): missing \(expected)")
            }
            let pages = try #require(text.firstMatch(of: /Page 1 \/ (\d+)/).flatMap { Int($0.1) })
            #expect(pages >= 4, "\(name): \(pages) pages")
            for page in 1...pages { #expect(text.contains("Page \(page) / \(pages)"), "\(name): page \(page)") }
            #expect(text.contains("(continued)"))
            let file = output.appendingPathComponent(name + ".pdf")
            try Data(pdf).write(to: file)
            for page in [1, pages] {
                _ = try CommandOutput.run([
                    "pdftoppm", "-png", "-r", "60", "-f", "\(page)", "-l", "\(page)", "-singlefile", file.path,
                    output.appendingPathComponent("\(name)-page-\(page)").path,
                ])
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("\(name)-page-\(page).png").path))
            }
        }
        let text = try PDFText.extract(try InvoiceRenderer().render(invoice))
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        #expect(flat.contains("Supply date: 2026-11-29") && flat.contains("Payment: Visa •••• 4242, Stripe pi_long"))
    }
}
