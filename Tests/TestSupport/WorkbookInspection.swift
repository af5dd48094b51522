import Core
import Foundation

/// Test support shared by the test targets.
/// Runs scripts/inspect_xlsx.py (openpyxl) on a workbook and decodes what it saw.
public struct WorkbookInspection: Decodable, Sendable {
    public struct Sheet: Decodable, Sendable {
        public let header: [String]
        public let headerBold: Bool
        public let rows: Int
        public let freeze: String?
        public let autofilter: String?
        public let charts: Int
        public let orientation: String?
        public let fitToWidth: Int?
        public let printTitleRows: String?
        /// Per row, per cell: [value, number format, is a date].
        public let cells: [[[JSONValue]]]

        enum CodingKeys: String, CodingKey {
            case header, rows, freeze, autofilter, charts, cells, orientation
            case headerBold = "header_bold"
            case fitToWidth = "fit_to_width"
            case printTitleRows = "print_title_rows"
        }
    }
    public let sheets: [String]
    public let detail: [String: Sheet]

    public static func inspect(_ path: String) throws -> WorkbookInspection {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/inspect_xlsx.py").path, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return try JSONDecoder().decode(WorkbookInspection.self, from: data)
    }
}
