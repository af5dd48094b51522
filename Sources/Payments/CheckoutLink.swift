import Core
import Crypto
import Foundation

/// The signed, expiring link the marketplace sends a buyer: `/pay/{quote_id}?expires=UNIX&signature=HEX`,
/// the signature an HMAC-SHA256 (PAYRECON_CHECKOUT_SECRET) of the quote id and the expiry, so a link
/// cannot be made for another quote or kept alive longer. The return page carries the same two.
struct CheckoutLink {
    let secret: String

    func signature(quoteId: String, expires: Int64) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(quoteId)\n\(expires)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Hex.encode(mac)
    }

    /// `/pay/{quote}?expires=…&signature=…` (the quote id is percent-encoded, as every id may be).
    func path(quoteId: String, expires: Int64, suffix: String = "") -> String {
        let encoded = quoteId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? quoteId
        return "/pay/\(encoded)\(suffix)?expires=\(expires)&signature=\(signature(quoteId: quoteId, expires: expires))"
    }

    /// 403 for a signature that does not match (constant time), 410 for a link past its expiry.
    func verify(quoteId: String, expires: String?, signature: String?, now: Timestamp) throws(PaymentsError) {
        guard let expires, let seconds = Int64(expires), let signature,
            ConstantTime.equal(Array(signature.utf8), Array(self.signature(quoteId: quoteId, expires: seconds).utf8))
        else {
            throw PaymentsError(status: 403, code: "link_invalid", message: "this payment link is not valid; ask the marketplace for a new one")
        }
        guard now.seconds < seconds else {
            throw PaymentsError(status: 410, code: "link_expired", message: "this payment link has expired; ask the marketplace for a new one")
        }
    }
}
