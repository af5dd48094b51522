import Core
import Foundation
import Payments

extension PaymentsConfiguration {
    /// `serve`'s processing with nothing outside it reachable: Stripe, SMTP and the notification
    /// service at a port where nothing listens (events carry their charges, and the outbox is not
    /// delivered), the store and the documents in `directory`.
    public static func offline(in directory: URL, database: String = "payrecon.sqlite", seller: String) -> PaymentsConfiguration {
        PaymentsConfiguration(
            listen: .init(host: "127.0.0.1", port: 0), database: directory.appendingPathComponent(database).path,
            documentsDirectory: directory.appendingPathComponent("documents").path, https: .init(mode: .proxy),
            stripe: .init(apiBase: "http://127.0.0.1:9"), seller: Seller(name: seller, address: ["Street 1"], taxId: nil),
            email: .init(smtpURL: "smtp://127.0.0.1:9", from: "invoices@example.com"), supplierNotificationURL: "http://127.0.0.1:9/",
            outbox: .init(maxAttempts: 1, pollMilliseconds: 60_000))
    }
}
