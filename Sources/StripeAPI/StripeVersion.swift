/// The one place the Stripe API version is pinned: every request carries it, so a change of
/// Stripe's account default never changes what payrecon decodes.
public enum StripeVersion {
    public static let pinned = "2024-06-20"
}
