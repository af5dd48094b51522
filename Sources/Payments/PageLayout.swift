import CHaru
import Core

/// Lays an invoice out over as many A4 pages as its lines need, top-down, in points: every page
/// opens with the document's title and number and the table's header; long descriptions wrap; the
/// totals block never splits (it starts a page of its own when it does not fit); "Page 2 / 3" is put
/// on every page once the count is known.
struct PageLayout {
    let document: InvoiceDocument
    let font: HPDF_Font
    /// Adds a page to the document.
    let newPage: () -> HPDF_Page?
    private(set) var pages: [HPDF_Page] = []
    private var page: HPDF_Page?
    var y: Float = 0
    let left: Float = 50
    let right: Float = 545
    let top: Float = 800
    /// Content stops here; the page number sits below.
    let bottom: Float = 60
    let size: Float = 9
    let leading: Float = 12

    /// Columns, right edges: the description wraps within its width.
    static let descriptionWidth: Float = 200
    static let quantity: Float = 300
    static let unitPrice: Float = 370
    static let net: Float = 435
    static let rate: Float = 480

    init(document: InvoiceDocument, font: HPDF_Font, newPage: @escaping () -> HPDF_Page?) {
        self.document = document; self.font = font; self.newPage = newPage
    }

    mutating func draw() {
        startPage(first: true)
        header()
        tableHeader()
        for line in document.lines { tableLine(line) }
        totals()
        numberPages()
    }

    private mutating func startPage(first: Bool) {
        guard let added = newPage() else { return }
        page = added
        pages.append(added)
        y = top
        if !first {
            text("\(document.title) \(document.number) (continued)", x: left, bold: true)
            y -= 24
        }
    }

    /// Starts the next page when `height` does not fit on this one; true when it did.
    @discardableResult
    private mutating func room(for height: Float, repeatingTableHeader: Bool) -> Bool {
        guard y - height < bottom else { return false }
        startPage(first: false)
        if repeatingTableHeader { tableHeader() }
        return true
    }

    private mutating func header() {
        text(document.title + " " + document.number, x: left, size: 18, bold: true)
        y -= 28
        let facts = [
            ("\(document.title) date", document.issueDate), ("Supply date", document.supplyDate), ("Order", document.orderId.rawValue),
            ("Currency", document.total.currency.code),
            (
                document.kind == .invoice ? "Payment" : "Refund",
                [document.paidWith, "Stripe \(document.reference)"].compactMap { $0 }.joined(separator: ", ")
            ),
        ]
        for (label, value) in facts {
            text(label + ":", x: left)
            text(value, x: left + 80)
            y -= leading
        }
        y -= 12
        let seller = [document.seller.name] + document.seller.address + (document.seller.taxId.map { ["VAT id: \($0)"] } ?? [])
        let buyer =
            [document.buyer.name] + (document.buyer.address.map { [$0] } ?? []) + (document.buyer.taxId.map { ["VAT id: \($0)"] } ?? [])
            + (document.buyer.email.map { [$0] } ?? [])
        text("Seller", x: left, bold: true)
        text("Bill to", x: 300, bold: true)
        y -= leading
        let sellerLines = seller.flatMap { wrapped($0, width: 240) }
        let buyerLines = buyer.flatMap { wrapped($0, width: 240) }
        for index in 0..<max(sellerLines.count, buyerLines.count) {
            if index < sellerLines.count { text(sellerLines[index], x: left) }
            if index < buyerLines.count { text(buyerLines[index], x: 300) }
            y -= leading
        }
        y -= 4
        text("Supplier: \(document.supplier.name)", x: left)
        y -= 24
    }

    private mutating func tableHeader() {
        text("Description", x: left, bold: true)
        rightAligned("Qty", at: Self.quantity, bold: true)
        rightAligned("Unit price", at: Self.unitPrice, bold: true)
        rightAligned("Net", at: Self.net, bold: true)
        rightAligned("Tax rate", at: Self.rate, bold: true)
        rightAligned("Tax", at: right, bold: true)
        y -= 5
        rule()
        y -= leading
    }

    private mutating func tableLine(_ line: InvoiceDocument.Line) {
        let description = wrapped(line.description, width: Self.descriptionWidth)
        room(for: Float(description.count) * leading, repeatingTableHeader: true)
        rightAligned(String(line.quantity), at: Self.quantity)
        rightAligned(line.unitAmount.decimalString, at: Self.unitPrice)
        rightAligned(line.total.decimalString, at: Self.net)
        rightAligned(Self.percent(document.taxRateBasisPoints), at: Self.rate)
        rightAligned(line.tax.decimalString, at: right)
        for part in description {
            text(part, x: left)
            y -= leading
        }
        y -= 3
    }

    private mutating func totals() {
        let noteLines = document.note.map { wrapped($0, width: right - left) } ?? []
        let height = 5 * (leading + 4) + 12 + Float(noteLines.count) * leading + 24
        room(for: height, repeatingTableHeader: false)
        rule()
        y -= leading + 4
        let currency = document.total.currency.code
        let rate = Self.percent(document.taxRateBasisPoints)
        let rows: [(String, String, Bool)] = [
            ("Net at \(rate)", document.subtotal.decimalString + " " + currency, false),
            ("Tax \(rate)", document.tax.decimalString + " " + currency, false),
            ("Subtotal", document.subtotal.decimalString + " " + currency, false),
            ("Total tax", document.tax.decimalString + " " + currency, false),
            ("Total", document.total.decimalString + " " + currency, true),
        ]
        for (label, value, bold) in rows {
            rightAligned(label, at: Self.rate, bold: bold)
            rightAligned(value, at: right, bold: bold)
            y -= leading + 4
        }
        if !noteLines.isEmpty {
            y -= 12
            for part in noteLines {
                text(part, x: left)
                y -= leading
            }
        }
    }

    /// "Page n / N" at the foot of every page, once N is known.
    private func numberPages() {
        for (index, page) in pages.enumerated() {
            let label = "Page \(index + 1) / \(pages.count)"
            HPDF_Page_SetFontAndSize(page, font, size)
            let width = HPDF_Page_TextWidth(page, label)
            HPDF_Page_BeginText(page)
            HPDF_Page_SetTextRenderingMode(page, HPDF_FILL)
            HPDF_Page_TextOut(page, right - width, 30, label)
            HPDF_Page_EndText(page)
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

    /// `string` broken into lines no wider than `width`: at spaces, and inside a word longer than a line.
    func wrapped(_ string: String, width: Float) -> [String] {
        guard let page else { return [string] }
        HPDF_Page_SetFontAndSize(page, font, size)
        func fits(_ text: String) -> Bool { HPDF_Page_TextWidth(page, text) <= width }
        var lines: [String] = []
        var current = ""
        for word in string.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if fits(candidate) {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            var rest = word
            while !fits(rest) {
                var cut = rest
                while cut.count > 1, !fits(cut) { cut.removeLast() }
                lines.append(cut)
                rest.removeFirst(cut.count)
            }
            current = rest
        }
        lines.append(current)
        return lines
    }

    /// Bold is the regular face filled and stroked with a thin outline.
    func text(_ string: String, x: Float, size: Float? = nil, bold: Bool = false) {
        guard let page else { return }
        let size = size ?? self.size
        HPDF_Page_BeginText(page)
        HPDF_Page_SetFontAndSize(page, font, size)
        HPDF_Page_SetTextRenderingMode(page, bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL)
        HPDF_Page_SetLineWidth(page, bold ? size / 30 : 1)
        HPDF_Page_TextOut(page, x, y, string)
        HPDF_Page_EndText(page)
    }

    func rightAligned(_ string: String, at x: Float, bold: Bool = false) {
        guard let page else { return }
        HPDF_Page_SetFontAndSize(page, font, size)
        let width = HPDF_Page_TextWidth(page, string) + (bold ? size / 30 : 0)
        text(string, x: x - width, bold: bold)
    }

    func rule() {
        guard let page else { return }
        HPDF_Page_SetLineWidth(page, 0.5)
        HPDF_Page_MoveTo(page, left, y)
        HPDF_Page_LineTo(page, right, y)
        HPDF_Page_Stroke(page)
    }
}
