// Writes the generated seeds of the frame and envelope fuzzers: valid envelopes signed and
// sealed with the fixed fuzz keys (fuzz_keys.h), and one valid frame of every type.
//   make_corpus DIR   writes DIR/envelope_corpus/*.bin and DIR/frame_corpus/*.bin
// The output is checked in; rerun after a wire format change.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "hub/wire/crypto_init.h"
#include "hub/wire/envelope.h"
#include "hub/wire/frame.h"
#include "sghub/v1/frames.pb.h"
#include "tests/fuzz/fuzz_keys.h"

namespace {

namespace fs = std::filesystem;

bool Write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

hub::Result<std::string> MakeEnvelope(const hub::wire::AgencyKeys& sender,
                                      const hub::wire::AgencyKeys& recipient,
                                      sghub::v1::AlertKind kind, char id_fill, size_t summary) {
  sghub::v1::Header h;
  h.set_version(1);
  h.set_message_id(std::string(16, id_fill));
  h.set_sender(sender.card().id);
  h.add_recipients(recipient.card().id);
  h.set_kind(kind);
  h.set_category(sghub::v1::CATEGORY_MATE_CRIME);
  h.set_urgency(sghub::v1::URGENCY_URGENT);
  h.set_purpose(sghub::v1::PURPOSE_SAFEGUARDING);
  h.set_created_at_ms(1'714'557'599'000);
  h.set_expires_at_ms(1'714'644'000'000);
  h.add_subject_refs(std::string(32, 'A'));
  auto* consent = h.mutable_consent();
  consent->set_state(sghub::v1::CONSENT_STATE_GIVEN);
  consent->mutable_scope()->add_recipient_kinds(sghub::v1::AGENCY_KIND_COUNCIL);
  consent->mutable_scope()->add_purposes(sghub::v1::PURPOSE_SAFEGUARDING);
  consent->mutable_scope()->set_expires_at_ms(1'730'000'000'000);
  h.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_PUBLIC_TASK);
  h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);
  if (kind == sghub::v1::ALERT_KIND_OUTCOME) {
    h.set_in_reply_to(std::string(16, '\x01'));
    h.set_outcome_code(sghub::v1::OUTCOME_CODE_S42_ENQUIRY_OPENED);
  }
  sghub::v1::AlertBody body;
  body.set_message_id(h.message_id());
  body.set_sender(h.sender());
  body.add_recipients(recipient.card().id);
  body.mutable_person()->set_nhs_number("9434765919");
  body.mutable_incident()->set_summary(std::string(summary, 's'));
  body.mutable_voice()->set_own_words("They keep coming round and taking my money.");
  std::vector<hub::wire::RecipientSealKey> keys{{recipient.card().id, recipient.card().sealing}};
  return hub::wire::SealEnvelope(h, body, keys, sender.signing_secret());
}

template <typename M>
bool WriteFrame(const fs::path& dir, const std::string& name, sghub::v1::FrameType type,
                const M& msg) {
  auto frame = hub::wire::EncodeFrame(type, msg);
  return frame.ok() && Write(dir / (name + ".bin"), *frame);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_corpus DIR\n";
    return 2;
  }
  const fs::path out = argv[1];
  if (!hub::wire::InitCrypto().ok()) {
    return 1;
  }
  auto sender = hub::fuzz::SenderKeys();
  auto recipient = hub::fuzz::RecipientKeys();
  if (!sender.ok() || !recipient.ok()) {
    std::cerr << "fixed keys: " << sender.status().ToString() << "\n";
    return 1;
  }
  auto concern = MakeEnvelope(*sender, *recipient, sghub::v1::ALERT_KIND_CONCERN, '\x21', 40);
  auto update = MakeEnvelope(*sender, *recipient, sghub::v1::ALERT_KIND_UPDATE, '\x22', 300);
  auto outcome = MakeEnvelope(*sender, *recipient, sghub::v1::ALERT_KIND_OUTCOME, '\x23', 10);
  if (!concern.ok() || !update.ok() || !outcome.ok()) {
    std::cerr << "seal: " << concern.status().ToString() << " " << outcome.status().ToString()
              << "\n";
    return 1;
  }
  bool ok = Write(out / "envelope_corpus" / "concern.bin", *concern) &&
            Write(out / "envelope_corpus" / "update.bin", *update) &&
            Write(out / "envelope_corpus" / "outcome.bin", *outcome);

  const fs::path frames = out / "frame_corpus";
  sghub::v1::Hello hello;
  hello.set_agency(hub::fuzz::kFuzzSender);
  hello.set_software("sghub fuzz corpus");
  hello.set_max_in_flight(16);
  sghub::v1::Welcome welcome;
  welcome.set_hub_id("hub");
  welcome.set_hub_time_ms(1'714'557'599'000);
  welcome.set_max_frame_bytes(1 << 20);
  sghub::v1::Submit submit;
  submit.set_envelope(*concern);
  sghub::v1::Accepted accepted;
  accepted.set_message_id(std::string(16, '\x21'));
  accepted.set_accepted_at_ms(1'714'557'599'500);
  auto* result = accepted.add_results();
  result->set_recipient(hub::fuzz::kFuzzRecipient);
  result->set_queued(true);
  sghub::v1::Refused refused;
  refused.set_message_id(std::string(16, '\x22'));
  refused.set_reason_code(sghub::v1::REASON_CODE_BAD_SIGNATURE);
  refused.set_field("envelope.signature");
  refused.set_reason("the signature does not verify");
  sghub::v1::Deliver deliver;
  deliver.set_envelope(*update);
  deliver.set_delivery_id(7);
  deliver.set_attempt(2);
  sghub::v1::Ack ack;
  ack.set_delivery_id(7);
  ack.set_message_id(std::string(16, '\x22'));
  sghub::v1::Nack nack;
  nack.set_delivery_id(8);
  nack.set_message_id(std::string(16, '\x23'));
  nack.set_permanent(true);
  nack.set_reason_code(sghub::v1::REASON_CODE_RECIPIENT_REJECTED);
  nack.set_reason("unknown person");
  sghub::v1::NoticeBody notice_body;
  notice_body.set_kind(sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
  sghub::v1::Delivered* delivered = notice_body.add_delivered();
  delivered->set_message_id(std::string(16, '\x21'));
  delivered->set_recipient(hub::fuzz::kFuzzRecipient);
  sghub::v1::Notice notice;
  notice.set_body(notice_body.SerializeAsString());
  notice.set_signature(std::string(64, '\x09'));
  notice.set_delivery_id(9);
  sghub::v1::Ping ping;
  ping.set_sent_at_ms(1'714'557'599'000);
  sghub::v1::Pong pong;
  pong.set_sent_at_ms(1'714'557'599'000);
  sghub::v1::Error error;
  error.set_reason_code(sghub::v1::REASON_CODE_MALFORMED_FRAME);
  error.set_reason("frame.magic");
  ok = ok && WriteFrame(frames, "hello", sghub::v1::FRAME_TYPE_HELLO, hello) &&
       WriteFrame(frames, "welcome", sghub::v1::FRAME_TYPE_WELCOME, welcome) &&
       WriteFrame(frames, "submit", sghub::v1::FRAME_TYPE_SUBMIT, submit) &&
       WriteFrame(frames, "accepted", sghub::v1::FRAME_TYPE_ACCEPTED, accepted) &&
       WriteFrame(frames, "refused", sghub::v1::FRAME_TYPE_REFUSED, refused) &&
       WriteFrame(frames, "deliver", sghub::v1::FRAME_TYPE_DELIVER, deliver) &&
       WriteFrame(frames, "ack", sghub::v1::FRAME_TYPE_ACK, ack) &&
       WriteFrame(frames, "nack", sghub::v1::FRAME_TYPE_NACK, nack) &&
       WriteFrame(frames, "notice", sghub::v1::FRAME_TYPE_NOTICE, notice) &&
       WriteFrame(frames, "ping", sghub::v1::FRAME_TYPE_PING, ping) &&
       WriteFrame(frames, "pong", sghub::v1::FRAME_TYPE_PONG, pong) &&
       WriteFrame(frames, "error", sghub::v1::FRAME_TYPE_ERROR, error);
  if (!ok) {
    std::cerr << "could not write the corpus under " << out << "\n";
    return 1;
  }
  std::cout << "wrote seeds under " << out << "\n";
  return 0;
}
