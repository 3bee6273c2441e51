"""`reflekt validate`: check real event payloads (a JSONL file, stdin, or warehouse rows) against schemas."""
