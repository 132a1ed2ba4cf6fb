#!/usr/bin/python3
"""Re-derives the sghub.v1 test vectors (v1.json) with PyNaCl and hashlib only.

This is a second implementation of docs/wire_format.md, written from the document rather
than from the C++ code: it proves that the signed message, the body encryption, the key
sealing, the notice signature and the subject references can be rebuilt byte for byte in
another language. Usage: check_vectors.py path/to/v1.json. Exit status 0 when every check
passes, 1 with a list of failures otherwise.
"""

import hashlib
import json
import struct
import sys

from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
    crypto_box_seal_open,
)
from nacl.public import Box, PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

FAILURES = []


def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        FAILURES.append(name)


def h(s):
    return bytes.fromhex(s)


def blake2b(data, size=32, key=b""):
    return hashlib.blake2b(data, digest_size=size, key=key).digest()


def tagged(tag, data):
    """ASCII tag, one zero byte, u32 big-endian length, the bytes."""
    return tag + b"\x00" + struct.pack(">I", len(data)) + data


def main(path):
    with open(path, encoding="utf-8") as f:
        v = json.load(f)
    inputs, env, notice, refs = v["inputs"], v["envelope"], v["notice"], v["subject_refs"]

    # Signing keys come from their 32-byte seeds.
    sender_sk = SigningKey(h(inputs["sender"]["signing_seed"]))
    check("sender signing public key from seed",
          bytes(sender_sk.verify_key) == h(inputs["sender"]["signing_public"]))

    # Signed message: "sghub.v1.envelope" 0x00 | u32be len(header) | header |
    # BLAKE2b-256(nonce || ciphertext).
    header, nonce, ct = h(env["header"]), h(inputs["body_nonce"]), h(env["body_ciphertext"])
    digest = blake2b(nonce + ct)
    check("ciphertext digest", digest == h(env["ciphertext_digest"]))
    signed = tagged(b"sghub.v1.envelope", header) + digest
    check("signed message layout", signed == h(env["signed_message"]))
    sig = sender_sk.sign(signed).signature
    check("Ed25519 signature is reproduced", sig == h(env["signature"]))
    try:
        VerifyKey(h(inputs["sender"]["signing_public"])).verify(signed, h(env["signature"]))
        check("signature verifies", True)
    except Exception:  # nacl.exceptions.BadSignatureError
        check("signature verifies", False)

    # Body: XChaCha20-Poly1305-IETF, key = content key, additional data = header bytes.
    key = h(inputs["content_key"])
    plain = crypto_aead_xchacha20poly1305_ietf_decrypt(ct, header, nonce, key)
    check("body decrypts to body_plaintext", plain == h(env["body_plaintext"]))
    check("body encryption is reproduced",
          crypto_aead_xchacha20poly1305_ietf_encrypt(plain, header, nonce, key) == ct)

    # Wrapped keys: crypto_box_seal with an ephemeral keypair from crypto_box_seed_keypair.
    for r, w in zip(inputs["recipients"], env["wrapped_keys"]):
        name = r["id"]
        check(name + " wrapped key is for that recipient", w["recipient"] == name)
        sk = PrivateKey(h(r["sealing_secret"]))
        check(name + " sealing public key", bytes(sk.public_key) == h(r["sealing_public"]))
        sealed = h(w["sealed_key"])
        check(name + " sealed key opens to the content key",
              SealedBox(sk).decrypt(sealed) == key)
        check(name + " crypto_box_seal_open agrees",
              crypto_box_seal_open(sealed, bytes(sk.public_key), bytes(sk)) == key)
        eph = PrivateKey.from_seed(h(r["ephemeral_seed"]))
        check(name + " ephemeral public key from seed",
              bytes(eph.public_key) == h(w["ephemeral_public"]) == sealed[:32])
        box_nonce = blake2b(bytes(eph.public_key) + bytes(sk.public_key), size=24)
        boxed = Box(eph, PublicKey(bytes(sk.public_key))).encrypt(key, box_nonce).ciphertext
        check(name + " sealed key is reproduced", bytes(eph.public_key) + boxed == sealed)

    # The envelope carries those exact bytes; the frame is the preamble plus Submit.
    whole = env["envelope"]
    for field in ("header", "body_ciphertext", "signature"):
        check("envelope contains " + field, env[field] in whole)
    frame = h(env["submit_frame"])
    check("submit frame preamble", frame[:8] == b"SGHB\x01\x03\x00\x00")
    check("submit frame holds the envelope", h(whole) in frame)

    # Notice: "sghub.v1.notice" 0x00 | u32be len(body) | body, signed by the hub.
    hub_sk = SigningKey(h(inputs["hub"]["signing_seed"]))
    check("hub signing public key", bytes(hub_sk.verify_key) == h(inputs["hub"]["signing_public"]))
    nsigned = tagged(b"sghub.v1.notice", h(notice["body"]))
    check("notice signed message layout", nsigned == h(notice["signed_message"]))
    check("notice signature is reproduced",
          hub_sk.sign(nsigned).signature == h(notice["signature"]))

    # Subject references: keyed BLAKE2b-256 under the subject key.
    skey = h(inputs["subject_key"])
    digits = "".join(c for c in inputs["nhs_number"] if c.isdigit())
    nhs_in = b"sghub.v1.subject.nhs\x00" + digits.encode()
    check("nhs hashed input", nhs_in == h(refs["nhs_hashed_input"]))
    check("nhs subject ref", blake2b(nhs_in, key=skey) == h(refs["nhs_ref"]))
    demo_in = b"sghub.v1.subject.demo\x00" + h(refs["demographics_normalised_hex"])
    check("demographics normalised to OBRIEN/1960-02-01/SW1A 1AA",
          h(refs["demographics_normalised_hex"]) == b"OBRIEN\x1f1960-02-01\x1fSW1A 1AA")
    check("demographics hashed input", demo_in == h(refs["demographics_hashed_input"]))
    check("demographics subject ref", blake2b(demo_in, key=skey) == h(refs["demographics_ref"]))

    if FAILURES:
        print("%d check(s) failed: %s" % (len(FAILURES), ", ".join(FAILURES)))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: check_vectors.py v1.json", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
