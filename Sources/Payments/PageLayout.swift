import CHaru
import Core

/// Where things go on the invoice page: a top-down cursor over an A4 page, in points.
struct PageLayout {
    let page: HPDF_Page
    let font: HPDF_Font
    var y: Float = 800
    let left: Float = 50
    let right: Float = 545

    mutating func draw(_ document: InvoiceDocument) {
        text(document.title + " " + document.number, x: left, size: 18, bold: true)
        y -= 28
        text("Date: \(document.issueDate)", x: left)
        text("Order: \(document.orderId.rawValue)", x: 300)
        y -= 14
        text("Reference: \(document.reference)", x: left)
        y -= 26
        let sellerLines = [document.seller.name] + document.seller.address + (document.seller.taxId.map { ["Tax id: \($0)"] } ?? [])
        let buyerLines = [document.buyer.name] + (document.buyer.address.map { [$0] } ?? []) + (document.buyer.email.map { [$0] } ?? [])
        text("Seller", x: left, bold: true)
        text("Bill to", x: 300, bold: true)
        y -= 14
        for index in 0..<max(sellerLines.count, buyerLines.count) {
            if index < sellerLines.count { text(sellerLines[index], x: left) }
            if index < buyerLines.count { text(buyerLines[index], x: 300) }
            y -= 14
        }
        y -= 6
        text("Supplier: \(document.supplier.name)", x: left)
        y -= 28
        text("Description", x: left, bold: true)
        rightAligned("Qty", at: 350, bold: true)
        rightAligned("Unit price", at: 450, bold: true)
        rightAligned("Amount", at: right, bold: true)
        y -= 6
        rule()
        y -= 14
        for line in document.lines {
            text(fitted(line.description, width: 250), x: left)
            rightAligned(String(line.quantity), at: 350)
            rightAligned(line.unitAmount.decimalString, at: 450)
            rightAligned(line.total.decimalString, at: right)
            y -= 16
        }
        rule()
        y -= 16
        let currency = document.total.currency.code
        rightAligned("Subtotal", at: 450)
        rightAligned(document.subtotal.decimalString + " " + currency, at: right)
        y -= 16
        rightAligned("Tax \(Self.percent(document.taxRateBasisPoints))", at: 450)
        rightAligned(document.tax.decimalString + " " + currency, at: right)
        y -= 18
        rightAligned("Total", at: 450, bold: true)
        rightAligned(document.total.decimalString + " " + currency, at: right, bold: true)
        if let note = document.note {
            y -= 36
            text(note, x: left)
        }
    }

    /// 1900 basis points → "19%", 2050 → "20.5%".
    static func percent(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        if fraction == 0 { return "\(whole)%" }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return "\(whole).\(digits)%"
    }

    /// `string`, cut with an ellipsis where it would run into the next column.
    func fitted(_ string: String, width: Float, size: Float = 10) -> String {
        HPDF_Page_SetFontAndSize(page, font, size)
        guard HPDF_Page_TextWidth(page, string) > width else { return string }
        var cut = string
        while !cut.isEmpty, HPDF_Page_TextWidth(page, cut + "…") > width { cut.removeLast() }
        return cut + "…"
    }

    /// Bold is the regular face filled and stroked with a thin outline.
    func text(_ string: String, x: Float, size: Float = 10, bold: Bool = false) {
        HPDF_Page_BeginText(page)
        HPDF_Page_SetFontAndSize(page, font, size)
        HPDF_Page_SetTextRenderingMode(page, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL)
        HPDF_Page_SetLineWidth(page, bold ? size / 30 : 1)
        HPDF_Page_TextOut(page, x, y, string)
        HPDF_Page_EndText(page)
    }

    func rightAligned(_ string: String, at x: Float, size: Float = 10, bold: Bool = false) {
        HPDF_Page_SetFontAndSize(page, font, size)
        let width = HPDF_Page_TextWidth(page, string) + (bold ? size / 30 : 0)
        text(string, x: x - width, size: size, bold: bold)
    }

    func rule() {
        HPDF_Page_SetLineWidth(page, 0.5)
        HPDF_Page_MoveTo(page, left, y)
        HPDF_Page_LineTo(page, right, y)
        HPDF_Page_Stroke(page)
    }
}
