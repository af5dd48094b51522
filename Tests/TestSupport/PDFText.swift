import Foundation

/// The text of a PDF as poppler's pdftotext reads it (what a person or a search index would see).
public enum PDFText {
    public static func extract(_ pdf: [UInt8]) throws -> String {
        let file = TestScratch.directory.appendingPathComponent("pdf-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try extract(path: file.path)
    }

    public static func extract(path: String) throws -> String {
        try CommandOutput.run(["pdftotext", "-layout", path, "-"])
    }
}
