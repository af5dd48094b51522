import CHaru
import Core
import Foundation

/// Lays an `InvoiceDocument` out as an A4 PDF of as many pages as it needs (`PageLayout`) with libharu. Text is set in DejaVu Sans,
/// a TrueType font loaded with UTF-8 encoding, because the PDF base-14 fonts garble é, ü and €.
/// One embedded font only (headings are stroked to look bold): libharu embeds a whole TrueType
/// font, and each one costs ~90 KB and ~20 ms of CPU per document.
public struct InvoiceRenderer: Sendable {
    public let fontPath: String

    public init(fontPath: String = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") {
        self.fontPath = fontPath
    }

    public func render(_ document: InvoiceDocument) throws(InvoiceRenderError) -> [UInt8] {
        guard let pdf = HPDF_New(nil, nil) else { throw InvoiceRenderError(step: "create document", code: 0) }
        defer { HPDF_Free(pdf) }
        try check(HPDF_UseUTFEncodings(pdf), "enable UTF-8")
        HPDF_SetCompressionMode(pdf, UInt32(HPDF_COMP_ALL))
        guard let name = HPDF_LoadTTFontFromFile(pdf, fontPath, HPDF_TRUE), let font = HPDF_GetFont(pdf, name, "UTF-8") else {
            throw InvoiceRenderError(step: "load font \(fontPath)", code: HPDF_GetError(pdf))
        }
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "\(document.title) \(document.number)")
        HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "payrecon")
        var layout = PageLayout(document: document, font: font) {
            guard let page = HPDF_AddPage(pdf) else { return nil }
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT)
            return page
        }
        layout.draw()
        guard !layout.pages.isEmpty else { throw InvoiceRenderError(step: "add page", code: HPDF_GetError(pdf)) }
        try check(HPDF_SaveToStream(pdf), "save")
        var size = HPDF_GetStreamSize(pdf)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let status = bytes.withUnsafeMutableBufferPointer { HPDF_ReadFromStream(pdf, $0.baseAddress, &size) }
        guard status == HPDF_OK || status == HPDF_STREAM_EOF else { throw InvoiceRenderError(step: "read stream", code: status) }
        return Array(bytes.prefix(Int(size)))
    }

    private func check(_ status: HPDF_STATUS, _ step: String) throws(InvoiceRenderError) {
        guard status == HPDF_OK else { throw InvoiceRenderError(step: step, code: status) }
    }
}

public struct InvoiceRenderError: Error, Hashable, Sendable, CustomStringConvertible {
    public let step: String
    public let code: UInt
    public var description: String { "invoice PDF: \(step) failed (libharu error 0x\(String(code, radix: 16)))" }
}
