#!/usr/bin/env python3
"""Reference webhook signatures from Stripe's official Python SDK, for payrecon's tests.
  sign PAYLOAD_FILE SECRET TIMESTAMP   -> prints the v1 signature Stripe computes
  check PAYLOAD_FILE SECRET HEADER     -> prints "ok" if stripe.Webhook.construct_event accepts it"""
import sys

import stripe

def main(command, payload_path, secret, value):
    payload = open(payload_path, "rb").read().decode("utf-8")
    if command == "sign":
        print(stripe.WebhookSignature._compute_signature(f"{value}.{payload}", secret))
    else:
        stripe.Webhook.construct_event(payload, value, secret, tolerance=300)
        print("ok")

if __name__ == "__main__":
    main(*sys.argv[1:5])
