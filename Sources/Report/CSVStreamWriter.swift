import Core
import Foundation

/// Writes a CSV report file row by row through a buffer of its own (RFC 4180, UTF-8, CRLF; text a
/// spreadsheet would run is escaped, as `CSVReportWriter` does), into a file beside the destination
/// that is renamed into place when it is whole.
final class CSVStreamWriter {
    private let destination: URL
    private let partial: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var rows = 0

    init(_ destination: URL, columns: [String]) throws {
        self.destination = destination
        partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw ReportError("cannot write \(partial.path)")
        }
        handle = try FileHandle(forWritingTo: partial)
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: CSVField.line(columns).utf8)
    }

    func write(_ row: [ReportCell]) throws {
        CSVReportWriter.append(row, to: &buffer)
        rows += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.moveItem(at: partial, to: destination)
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
