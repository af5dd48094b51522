/// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in
/// CRLF, LF or a lone CR (old Mac exports); a UTF-8 byte-order mark is skipped. Each record remembers the
/// line it starts on, so errors can point at the line a person sees in an editor.
///
/// Strict where a lenient reader would store something else than the file says: bytes that are not
/// UTF-8, a NUL byte, or a field longer than `maxFieldBytes` end the read with where they are (line,
/// field, byte offset in the file).
public struct CSVReader {
    public struct Record: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct Failure: Error, Sendable {
        public let line: Int
        /// The field (1-based) the problem is in, when it is in one.
        public let column: Int?
        public let message: String

        init(line: Int, column: Int? = nil, message: String) { self.line = line; self.column = column; self.message = message }
    }

    /// 4 KiB: an id, an amount or a time is a few dozen bytes; a field of megabytes is a broken export.
    public static let defaultMaxFieldBytes = 4_096

    public static func records(_ bytes: [UInt8], maxFieldBytes: Int = defaultMaxFieldBytes) throws(Failure) -> [Record] {
        var records: [Record] = []
        try read(bytes, maxFieldBytes: maxFieldBytes) {
            records.append($0); return true
        }
        return records
    }

    /// Hands each record to `body` as it is read, so a million-row file is never a million records in
    /// memory at once; `body` returns false to stop reading.
    public static func read(_ bytes: [UInt8], maxFieldBytes: Int = defaultMaxFieldBytes, _ body: (Record) -> Bool) throws(Failure) {
        var stopped = false
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let problem = UTF8Check.firstProblem(bytes, from: index)
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedOn = 1
        var fieldWasQuoted = false

        func endField() {
            // Validated before: every byte of the file up to here is UTF-8 without NUL.
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            // A blank line (one empty unquoted field) is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) { stopped = !body(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        func append(_ byte: UInt8) throws(Failure) {
            guard field.count < maxFieldBytes else {
                throw Failure(
                    line: line, column: fields.count + 1,
                    message: "a field longer than \(maxFieldBytes) bytes (at byte offset \(index)); no ledger value is that long")
            }
            field.append(byte)
        }

        while index < bytes.count {
            if let problem, index == problem.offset {
                throw Failure(line: line, column: fields.count + 1, message: problem.description)
            }
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        try append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n")
                        || (byte == UInt8(ascii: "\r") && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n")))
                    {
                        line += 1
                    }
                    try append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !fieldWasQuoted else {
                        throw Failure(
                            line: line, column: fields.count + 1,
                            message: "a quote inside an unquoted field (quote the whole field and double its quotes)")
                    }
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteOpenedOn = line
                case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                    break
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    endRecord()
                    if stopped { return }
                    line += 1
                    recordLine = line
                default:
                    if fieldWasQuoted {
                        throw Failure(
                            line: line, column: fields.count + 1,
                            message: "text after a closing quote (expected a comma or the end of the line)")
                    }
                    try append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw Failure(line: quoteOpenedOn, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
    }
}
