#!/usr/bin/python3
"""A minimal sghub adapter in Python, written only from docs/protocol.md,
docs/wire_format.md and proto/sghub/v1/*.proto. It shows that an agency can join the hub
from any language with ZeroMQ (CURVE), libsodium and protobuf.

Debian packages: python3-zmq python3-nacl python3-protobuf, and protoc (protobuf-compiler).
It reads the same TOML configuration as the C++ adapters ([agency], [hub], [peers]).

  python_adapter.py --config nhs.toml submit --to council.north --nhs 9434765919 \
      --summary "Two men take his money on payday"
      -> prints {"message_id": ..., "accepted": true, "results": [...]}
  python_adapter.py --config nhs.toml receive --count 1 --timeout 30
      -> prints one JSON line per alert or notice received (verified, opened, acked)

Deliberately small: no edge outbox (a production adapter must store each envelope before
sending and resend the same bytes until the hub answers) and a JSON file for seen ids.
"""
import argparse
import hashlib
import json
import os
import secrets
import stat
import struct
import subprocess
import sys
import tempfile
import time
import tomllib

import nacl.bindings
import nacl.exceptions
import nacl.public
import nacl.signing
import zmq
import zmq.utils.monitor

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "proto"))

# Frame types (wire_format.md section 1).
HELLO, WELCOME, SUBMIT, ACCEPTED, REFUSED, DELIVER, ACK, NACK, NOTICE = range(1, 10)
KINDS = {1: "nhs_mh", 2: "council", 3: "police", 4: "hub"}


def load_protos():
    """Generates the sghub.v1 Python classes with protoc into a temp dir and imports them."""
    out = tempfile.mkdtemp(prefix="sghub-py-")
    files = [os.path.join(PROTO_DIR, "sghub", "v1", f)
             for f in ("common.proto", "envelope.proto", "alert.proto", "frames.proto")]
    subprocess.run(["protoc", "-I", PROTO_DIR, "--python_out", out] + files, check=True)
    sys.path.insert(0, out)
    from sghub.v1 import alert_pb2, common_pb2, envelope_pb2, frames_pb2
    return alert_pb2, common_pb2, envelope_pb2, frames_pb2


alert_pb2, common_pb2, envelope_pb2, frames_pb2 = load_protos()


def read_secret_file(path):
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077:
        sys.exit(f"{path}: mode {st.st_mode & 0o777:04o} lets others read it; run chmod 600")
    with open(path, "rb") as f:
        return f.read()


def load_agency_key(path):
    """Secret key file, wire_format.md section 5.1."""
    data = read_secret_file(path)
    if data[:8] != b"SGHUBKEY" or data[8] != 1:
        sys.exit(f"{path}: not an sghub key file")
    n = data[10]
    if hashlib.blake2b(data[:204 + n], digest_size=32).digest() != data[204 + n:236 + n]:
        sys.exit(f"{path}: checksum mismatch")
    at = 12 + n
    keys = {"id": data[12:at].decode(), "kind": KINDS[data[9]]}
    for i, name in enumerate(("transport_secret", "signing_seed", "sealing_secret",
                              "transport_public", "signing_public", "sealing_public")):
        keys[name] = data[at + 32 * i:at + 32 * (i + 1)]
    return keys


def load_subject_key(path):
    """Subject key file, wire_format.md section 5.2."""
    data = read_secret_file(path)
    if data[:8] != b"SGHUBSUB" or len(data) != 76:
        sys.exit(f"{path}: not an sghub subject key file")
    if hashlib.blake2b(data[:44], digest_size=32).digest() != data[44:]:
        sys.exit(f"{path}: checksum mismatch")
    return data[12:44]


def load_card(path):
    with open(path, "rb") as f:
        a = tomllib.load(f)["agency"]
    return {"id": a["id"], "kind": a["kind"],
            **{k: bytes.fromhex(a[k]) for k in ("transport_public", "signing_public",
                                                 "sealing_public")}}


class Adapter:
    def __init__(self, config_path):
        base = os.path.dirname(os.path.abspath(config_path))
        with open(config_path, "rb") as f:
            cfg = tomllib.load(f)
        path = lambda p: p if os.path.isabs(p) else os.path.join(base, p)
        self.keys = load_agency_key(path(cfg["agency"]["key_file"]))
        self.id = self.keys["id"]
        self.subject_key = load_subject_key(path(cfg["agency"]["subject_key_file"]))
        self.hub = load_card(path(cfg["hub"]["card"]))
        cards_dir = path(cfg["peers"]["dir"])
        self.peers = {}
        for name in sorted(os.listdir(cards_dir)):
            if name.endswith(".card.toml"):
                card = load_card(os.path.join(cards_dir, name))
                self.peers[card["id"]] = card
        state_dir = path(cfg["agency"]["state_dir"])
        os.makedirs(state_dir, mode=0o700, exist_ok=True)
        self.seen_path = os.path.join(state_dir, "python-seen.json")
        self.seen = set(json.load(open(self.seen_path))) if os.path.exists(self.seen_path) else set()
        self.signing = nacl.signing.SigningKey(self.keys["signing_seed"])
        self.connect(cfg["hub"]["endpoint"])

    # -- connection (protocol.md section 1 and 3) ---------------------------------------
    def connect(self, endpoint):
        self.ctx = zmq.Context()
        s = self.ctx.socket(zmq.DEALER)
        s.curve_serverkey = self.hub["transport_public"]
        s.curve_publickey = self.keys["transport_public"]
        s.curve_secretkey = self.keys["transport_secret"]
        s.setsockopt(zmq.LINGER, 2000)  # let the last ACK leave before exit
        s.setsockopt(zmq.IMMEDIATE, 1)
        s.setsockopt(zmq.RECONNECT_IVL, 100)
        s.setsockopt(zmq.RECONNECT_IVL_MAX, 5000)
        monitor = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
        s.connect(endpoint)
        self.sock = s
        if not monitor.poll(10000):
            sys.exit("no CURVE handshake with the hub within 10 s")
        zmq.utils.monitor.recv_monitor_message(monitor)
        s.disable_monitor()
        monitor.close()
        hello = frames_pb2.Hello(agency=self.id, software="python_adapter.py", max_in_flight=8)
        self.send(HELLO, hello)
        self.pending = []
        welcome = self.next_frame({WELCOME}, 10000)
        if welcome is None:
            sys.exit("no WELCOME from the hub")

    def send(self, frame_type, message):
        self.sock.send(b"SGHB" + bytes([1, frame_type, 0, 0]) + message.SerializeToString())

    def next_frame(self, types, timeout_ms):
        """The next frame of one of `types`, keeping others in order for later."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            for i, (t, payload) in enumerate(self.pending):
                if t in types:
                    del self.pending[i]
                    return t, payload
            left = deadline - time.monotonic()
            if left <= 0 or not self.sock.poll(int(left * 1000)):
                return None
            raw = self.sock.recv()
            if raw[:4] != b"SGHB" or raw[4] != 1 or raw[6:8] != b"\0\0":
                continue  # not a frame: ignore it
            self.pending.append((raw[5], raw[8:]))

    # -- submitting (wire_format.md sections 2.1 to 2.3 and 4) -------------------------
    def subject_ref_nhs(self, nhs_number):
        digits = "".join(c for c in nhs_number if c.isdigit())
        return hashlib.blake2b(b"sghub.v1.subject.nhs\0" + digits.encode(), digest_size=32,
                               key=self.subject_key).digest()

    def submit(self, recipient, nhs_number, summary):
        now = int(time.time() * 1000)
        h = envelope_pb2.Header(
            version=1, message_id=secrets.token_bytes(16), sender=self.id, recipients=[recipient],
            kind=common_pb2.ALERT_KIND_CONCERN, category=common_pb2.CATEGORY_TARGETED_HOSTILITY,
            urgency=common_pb2.URGENCY_URGENT, purpose=common_pb2.PURPOSE_SAFEGUARDING,
            created_at_ms=now, expires_at_ms=now + 24 * 3600 * 1000,
            subject_refs=[self.subject_ref_nhs(nhs_number)])
        h.consent.state = common_pb2.CONSENT_STATE_GIVEN
        h.consent.scope.recipient_kinds.append(
            getattr(common_pb2, "AGENCY_KIND_" + self.peers[recipient]["kind"].upper()))
        h.consent.scope.purposes.append(common_pb2.PURPOSE_SAFEGUARDING)
        h.consent.scope.expires_at_ms = now + 90 * 24 * 3600 * 1000
        h.lawful_basis.art6 = common_pb2.ART6_BASIS_PUBLIC_TASK
        h.lawful_basis.art9 = common_pb2.ART9_CONDITION_SCH1_PARA18_SAFEGUARDING
        header = h.SerializeToString()  # serialised once: these exact bytes are signed
        body = alert_pb2.AlertBody(message_id=h.message_id, sender=self.id, recipients=[recipient])
        body.person.nhs_number = nhs_number
        body.incident.summary = summary
        key, nonce = secrets.token_bytes(32), secrets.token_bytes(24)
        ciphertext = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
            body.SerializeToString(), header, nonce, key)
        env = envelope_pb2.Envelope(header=header, body_nonce=nonce, body_ciphertext=ciphertext)
        sealed = nacl.public.SealedBox(nacl.public.PublicKey(self.peers[recipient]["sealing_public"]))
        env.keys.add(recipient=recipient, sealed_key=sealed.encrypt(key))
        digest = hashlib.blake2b(nonce + ciphertext, digest_size=32).digest()
        signed = b"sghub.v1.envelope\0" + struct.pack(">I", len(header)) + header + digest
        env.signature = self.signing.sign(signed).signature
        self.send(SUBMIT, frames_pb2.Submit(envelope=env.SerializeToString()))
        answer = self.next_frame({ACCEPTED, REFUSED}, 10000)
        if answer is None:
            return {"message_id": h.message_id.hex(), "answer": None}
        t, payload = answer
        if t == ACCEPTED:
            a = frames_pb2.Accepted.FromString(payload)
            results = [{"recipient": r.recipient, "queued": r.queued,
                        "reason_code": common_pb2.ReasonCode.Name(r.reason_code), "reason": r.reason}
                       for r in a.results]
            return {"message_id": a.message_id.hex(), "accepted": True, "results": results}
        r = frames_pb2.Refused.FromString(payload)
        return {"message_id": r.message_id.hex(), "accepted": False,
                "reason_code": common_pb2.ReasonCode.Name(r.reason_code), "field": r.field,
                "reason": r.reason}

    # -- receiving (protocol.md section 3 rule 9, wire_format.md sections 2.5 and 3) --
    def ack(self, delivery_id, item_id):
        self.send(ACK, frames_pb2.Ack(delivery_id=delivery_id, message_id=item_id))
        self.seen.add(item_id.hex())
        with open(self.seen_path + ".tmp", "w") as f:
            json.dump(sorted(self.seen), f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(self.seen_path + ".tmp", self.seen_path)

    def nack(self, delivery_id, item_id, permanent, reason):
        self.send(NACK, frames_pb2.Nack(delivery_id=delivery_id, message_id=item_id,
                                        permanent=permanent,
                                        reason_code=common_pb2.REASON_CODE_RECIPIENT_REJECTED,
                                        reason=reason))

    def open_delivery(self, payload):
        d = frames_pb2.Deliver.FromString(payload)
        env = envelope_pb2.Envelope.FromString(d.envelope)
        h = envelope_pb2.Header.FromString(env.header)  # read, never re-serialised
        sender = self.peers.get(h.sender)
        if sender is None or self.id not in h.recipients:
            return self.nack(d.delivery_id, h.message_id, True, "not for this agency or unknown sender")
        digest = hashlib.blake2b(env.body_nonce + env.body_ciphertext, digest_size=32).digest()
        signed = b"sghub.v1.envelope\0" + struct.pack(">I", len(env.header)) + env.header + digest
        try:
            nacl.signing.VerifyKey(sender["signing_public"]).verify(signed, env.signature)
        except nacl.exceptions.BadSignatureError:
            return self.nack(d.delivery_id, h.message_id, True, "bad signature")
        if h.message_id.hex() in self.seen:
            return self.ack(d.delivery_id, h.message_id)  # a repeat: ack, do not handle again
        wrapped = next(k.sealed_key for k in env.keys if k.recipient == self.id)
        key = nacl.public.SealedBox(nacl.public.PrivateKey(self.keys["sealing_secret"])).decrypt(wrapped)
        plain = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            env.body_ciphertext, env.header, env.body_nonce, key)
        body = alert_pb2.AlertBody.FromString(plain)
        if (body.message_id, body.sender, list(body.recipients)) != (h.message_id, h.sender, list(h.recipients)):
            return self.nack(d.delivery_id, h.message_id, True, "body does not match the header")
        print(json.dumps({"type": "alert", "message_id": h.message_id.hex(), "sender": h.sender,
                          "summary": body.incident.summary}), flush=True)
        self.ack(d.delivery_id, h.message_id)  # only after the alert is handed over

    def open_notice(self, payload):
        n = frames_pb2.Notice.FromString(payload)
        signed = b"sghub.v1.notice\0" + struct.pack(">I", len(n.body)) + n.body
        nacl.signing.VerifyKey(self.hub["signing_public"]).verify(signed, n.signature)
        body = frames_pb2.NoticeBody.FromString(n.body)
        if body.notice_id.hex() not in self.seen:
            print(json.dumps({"type": "notice", "notice_id": body.notice_id.hex(),
                              "kind": frames_pb2.NoticeKind.Name(body.kind),
                              "message_id": body.message_id.hex()}), flush=True)
        self.ack(n.delivery_id, body.notice_id)

    def receive(self, count, timeout_s, alerts_only):
        deadline = time.monotonic() + timeout_s
        handled = 0
        while handled < count and time.monotonic() < deadline:
            got = self.next_frame({DELIVER, NOTICE}, 200)
            if got is None:
                continue
            t, payload = got
            if t == DELIVER:
                self.open_delivery(payload)
                handled += 1
            else:
                self.open_notice(payload)
                handled += 0 if alerts_only else 1
        return handled


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", required=True)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("submit")
    s.add_argument("--to", required=True)
    s.add_argument("--nhs", required=True)
    s.add_argument("--summary", required=True)
    r = sub.add_parser("receive")
    r.add_argument("--count", type=int, default=1)
    r.add_argument("--timeout", type=float, default=30)
    r.add_argument("--alerts-only", action="store_true")
    args = p.parse_args()
    adapter = Adapter(args.config)
    if args.command == "submit":
        result = adapter.submit(args.to, args.nhs, args.summary)
        print(json.dumps(result), flush=True)
        return 0 if result.get("accepted") else 1
    handled = adapter.receive(args.count, args.timeout, args.alerts_only)
    adapter.sock.close()
    adapter.ctx.term()  # waits (up to LINGER) for the last ACK to leave
    return 0 if handled >= args.count else 1


if __name__ == "__main__":
    sys.exit(main())
