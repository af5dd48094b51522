/// Masks anything that looks like a payment card number: 13 to 19 digits, optionally grouped by
/// single spaces or dashes, that pass the Luhn check. payrecon never receives card numbers (the
/// Payment Element sends them to Stripe), but people paste them into free text; this keeps them
/// out of logs, errors and the store. The last four digits stay, as Stripe shows them.
public enum CardNumberMask {
    public static func mask(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: isDigit) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if isDigit(scalars[index]), index == 0 || !isDigit(scalars[index - 1]),
                let (end, digits) = longestCardRun(scalars, from: index)
            {
                for (offset, scalar) in scalars[index..<end].enumerated() {
                    let digitIndex = scalars[index...index + offset].filter(isDigit).count
                    result.append(isDigit(scalar) && digitIndex <= digits - 4 ? "*" : scalar)
                }
                index = end
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    /// The longest run from `start` of 13–19 digits (with single separators between them) that is Luhn-valid
    /// and not followed by another digit; its end and digit count.
    static func longestCardRun(_ scalars: [Unicode.Scalar], from start: Int) -> (Int, Int)? {
        var digits: [Int] = []
        var ends: [Int] = []
        var position = start
        while position < scalars.count, digits.count < 19 {
            let scalar = scalars[position]
            if isDigit(scalar) {
                digits.append(Int(scalar.value) - 48)
                position += 1
                ends.append(position)
            } else if scalar == " " || scalar == "-", position + 1 < scalars.count, isDigit(scalars[position + 1]), !digits.isEmpty {
                position += 1
            } else {
                break
            }
        }
        for count in stride(from: digits.count, through: 13, by: -1) {
            let end = ends[count - 1]
            if end < scalars.count, isDigit(scalars[end]) { continue }
            if luhnValid(digits[0..<count]) { return (end, count) }
        }
        return nil
    }

    public static func luhnValid(_ digits: ArraySlice<Int>) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }
}
