/// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks;
/// records end in CRLF or LF; a UTF-8 byte-order mark is skipped. Each record remembers the
/// line it starts on, so errors can point at the line a person sees in an editor.
public struct CSVReader {
    public struct Record: Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct Failure: Error, Sendable {
        public let line: Int
        public let message: String
    }

    public static func records(_ bytes: [UInt8]) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedOn = 1
        var fieldWasQuoted = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            // A blank line (one empty unquoted field) is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !fieldWasQuoted else {
                        throw Failure(line: line, message: "a quote inside an unquoted field (quote the whole field and double its quotes)")
                    }
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteOpenedOn = line
                case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                    break
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    if fieldWasQuoted {
                        throw Failure(line: line, message: "text after a closing quote (expected a comma or the end of the line)")
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw Failure(line: quoteOpenedOn, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}
