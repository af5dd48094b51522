/// Finds the first byte of a file that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF) or is a NUL, which C-string code downstream would cut a field at.
enum UTF8Check {
    struct Problem: Sendable, CustomStringConvertible {
        let offset: Int
        let byte: UInt8
        let isNUL: Bool

        /// The same problem at its place in the whole stream.
        func with(offset: Int) -> Problem { Problem(offset: offset, byte: byte, isNUL: isNUL) }

        var description: String {
            isNUL
                ? "a NUL byte at byte offset \(offset) (a text file holds none)"
                : "bytes that are not UTF-8 at byte offset \(offset) (0x\(String(byte, radix: 16, uppercase: true)); save the file as UTF-8)"
        }
    }

    /// In `bytes[start..<end]` (`end` nil: to the end); a sequence that runs past `end` is a problem.
    static func firstProblem(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> Problem? {
        let end = end ?? bytes.count
        var i = start
        while i < end {
            let lead = bytes[i]
            if lead == 0 { return Problem(offset: i, byte: lead, isNUL: true) }
            if lead < 0x80 { i += 1; continue }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
            default: return Problem(offset: i, byte: lead, isNUL: false)
            }
            guard i + length <= end else { return Problem(offset: i, byte: lead, isNUL: false) }
            for k in 1..<length {
                let next = bytes[i + k]
                guard next & 0xC0 == 0x80 else { return Problem(offset: i, byte: lead, isNUL: false) }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
                return Problem(offset: i, byte: lead, isNUL: false)
            }
            i += length
        }
        return nil
    }
}
