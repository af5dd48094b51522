import Foundation

/// An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in
/// CRLF, LF or a lone CR (old Mac exports); a UTF-8 byte-order mark is skipped. Each record remembers the
/// line it starts on, so errors can point at the line a person sees in an editor.
///
/// Strict where a lenient reader would store something else than the file says: bytes that are not
/// UTF-8, a NUL byte, or a field longer than `maxFieldBytes` end the read with where they are (line,
/// field, byte offset in the file).
///
/// It reads a stream: bytes are fed in chunks of any size (`feed`), and records come out as soon as
/// they end, so a file of any size is read in constant memory (`read(fileAt:)`).
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
    /// What `read(fileAt:)` reads at a time.
    public static let chunkBytes = 1 << 20

    let maxFieldBytes: Int
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var line = 1
    private var recordLine = 1
    private var inQuotes = false
    private var quoteOpenedOn = 1
    private var fieldWasQuoted = false
    /// Bytes of the stream read so far, before `carry`.
    private var offset = 0
    /// The end of the last chunk, held back until more arrives: the first bytes of a UTF-8 sequence, or
    /// a CR or a quote whose meaning depends on the next byte.
    private var carry: [UInt8] = []
    private var started = false
    private var stopped = false

    public init(maxFieldBytes: Int = defaultMaxFieldBytes) { self.maxFieldBytes = maxFieldBytes }

    public static func records(_ bytes: [UInt8], maxFieldBytes: Int = defaultMaxFieldBytes) throws(Failure) -> [Record] {
        var records: [Record] = []
        try read(bytes, maxFieldBytes: maxFieldBytes) {
            records.append($0); return true
        }
        return records
    }

    /// Hands each record to `body` as it is read; `body` returns false to stop reading.
    public static func read(_ bytes: [UInt8], maxFieldBytes: Int = defaultMaxFieldBytes, _ body: (Record) -> Bool) throws(Failure) {
        var reader = CSVReader(maxFieldBytes: maxFieldBytes)
        try reader.feed(bytes, body)
        try reader.finish(body)
    }

    /// A file, a chunk at a time. `unreadable` is thrown when the file cannot be opened or read.
    public static func read(fileAt path: String, maxFieldBytes: Int = defaultMaxFieldBytes, _ body: (Record) -> Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Unreadable(path: path) }
        defer { try? handle.close() }
        var reader = CSVReader(maxFieldBytes: maxFieldBytes)
        while !reader.stopped {
            guard let chunk = try handle.read(upToCount: chunkBytes), !chunk.isEmpty else { break }
            try reader.feed([UInt8](chunk), body)
        }
        try reader.finish(body)
    }

    public struct Unreadable: Error, Sendable { public let path: String }

    /// Reads `chunk`, the stream's next bytes, handing over the records that end in it.
    public mutating func feed(_ chunk: [UInt8], _ body: (Record) -> Bool) throws(Failure) {
        guard !stopped else { return }
        var bytes = carry + chunk
        carry = []
        if !started {
            // A byte-order mark can only be the stream's first three bytes; wait until there are three.
            guard bytes.count >= 3 else { carry = bytes; return }
            started = true
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); offset = 3 }
        }
        let end = Self.safeEnd(bytes)
        carry = Array(bytes[end...])
        try scan(bytes, upTo: end, body)
        offset += end
    }

    /// Reads what was held back, then ends the last record.
    public mutating func finish(_ body: (Record) -> Bool) throws(Failure) {
        if !started {
            started = true
            if carry.starts(with: [0xEF, 0xBB, 0xBF]) { carry.removeFirst(3); offset = 3 }
        }
        let bytes = carry
        carry = []
        if !stopped { try scan(bytes, upTo: bytes.count, body) }
        guard !stopped else { return }
        if inQuotes { throw Failure(line: quoteOpenedOn, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord(body) }
    }

    /// Where the bytes that can be read now end: before an incomplete UTF-8 sequence at the end, before
    /// the run of quotes at the end (a doubled quote may be split, and reading one looks at the next),
    /// or else before a last CR (a CRLF may be split). No byte read looks past this end at a byte it would
    /// then consume: only a quote and a CR look ahead, and a held-back byte is never a quote's partner.
    static func safeEnd(_ bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var end = bytes.count
        // A lead byte within the last three whose sequence runs past the end.
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            guard byte & 0xC0 == 0x80 || byte >= 0xC0 else { break }
            if byte >= 0xC0 {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                if length > back { end = bytes.count - back }
                break
            }
        }
        if end > 0, bytes[end - 1] == UInt8(ascii: "\"") {
            while end > 0, bytes[end - 1] == UInt8(ascii: "\"") { end -= 1 }
        } else if end > 0, bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return end
    }

    private mutating func endField() {
        // Validated before: every byte read is UTF-8 without NUL.
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
    }

    private mutating func endRecord(_ body: (Record) -> Bool) {
        endField()
        // A blank line (one empty unquoted field) is not a record.
        if !(fields.count == 1 && fields[0].isEmpty) { stopped = !body(Record(line: recordLine, fields: fields)) }
        fields.removeAll(keepingCapacity: true)
    }

    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// A run of bytes of one field, refused where it passes the field size limit (named by that byte's offset).
    private mutating func append(_ bytes: [UInt8], _ run: Range<Int>) throws(Failure) {
        guard field.count + run.count <= maxFieldBytes else {
            let index = run.lowerBound + max(0, maxFieldBytes - field.count)
            throw Failure(
                line: line, column: fields.count + 1,
                message: "a field longer than \(maxFieldBytes) bytes (at byte offset \(offset + index)); no ledger value is that long")
        }
        field.append(contentsOf: bytes[run])
    }

    /// Reads `bytes[..<end]`; the byte after `end`, when there is one, is there to look at only.
    private mutating func scan(_ bytes: [UInt8], upTo end: Int, _ body: (Record) -> Bool) throws(Failure) {
        let problem = UTF8Check.firstProblem(bytes, to: end)
        var index = 0
        func next(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }
        while index < end {
            if let problem, index == problem.offset {
                throw Failure(line: line, column: fields.count + 1, message: problem.with(offset: offset + index).description)
            }
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if next(index + 1) == UInt8(ascii: "\"") {
                        try append(bytes, index..<index + 1)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && next(index + 1) != UInt8(ascii: "\n")) { line += 1 }
                    try append(bytes, index..<index + 1)
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
                case UInt8(ascii: "\r") where next(index + 1) == UInt8(ascii: "\n"):
                    break
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    endRecord(body)
                    line += 1
                    recordLine = line
                    if stopped { return }
                default:
                    if fieldWasQuoted {
                        throw Failure(
                            line: line, column: fields.count + 1, message: "text after a closing quote (expected a comma or the end of the line)")
                    }
                    // The plain bytes up to the next comma, quote, line end or bad byte, at once: one byte at a
                    // time was a tenth of an import's reading.
                    let stop = problem.map { min($0.offset, end) } ?? end
                    var runEnd = index + 1
                    while runEnd < stop, !Self.isSpecial(bytes[runEnd]) { runEnd += 1 }
                    try append(bytes, index..<runEnd)
                    index = runEnd
                    continue
                }
            }
            index += 1
        }
    }
}
