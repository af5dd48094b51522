import Foundation

/// RFC 4180 field quoting: a field with a comma, quote, CR or LF is wrapped in quotes, and its
/// quotes are doubled. Shared by every CSV payrecon writes.
public enum CSVField {
    public static func quote(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated as RFC 4180 says.
    public static func line(_ fields: [String]) -> String { fields.map(quote).joined(separator: ",") + "\r\n" }
}
