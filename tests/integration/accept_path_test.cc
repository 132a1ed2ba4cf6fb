// Every way a submission can be wrong is refused with its own reason code, nothing is
// stored or delivered for it, and the hub keeps serving.
#include <gtest/gtest.h>

#include <sodium.h>

#include "hub/wire/frame.h"
#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

using sghub::v1::ReasonCode;

class AcceptPathTest : public HubFixture {
 protected:
  void SetUp() override {
    HubFixture::SetUp();
    StartHub();
    nhs_ = ConnectAs("nhs-north");
    ASSERT_NE(nhs_, nullptr);
  }

  // Submits and expects a refusal with `code`; returns the refusal.
  sghub::v1::Refused ExpectRefused(const std::string& envelope, ReasonCode code) {
    auto answer = nhs_->Submit(envelope, 5000);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) {
      return {};
    }
    EXPECT_FALSE(answer->accepted);
    EXPECT_EQ(answer->refused_msg.reason_code(), code)
        << sghub::v1::ReasonCode_Name(answer->refused_msg.reason_code()) << ": "
        << answer->refused_msg.reason();
    EXPECT_FALSE(answer->refused_msg.reason().empty());
    return answer->refused_msg;
  }

  // Nothing reaches the council: its queue stays empty.
  void ExpectNothingDelivered() {
    auto council = ConnectAs("council-west");
    ASSERT_NE(council, nullptr);
    auto d = council->NextDelivery(300);
    EXPECT_FALSE(d.ok()) << "an alert was delivered that should have been refused";
  }

  AlertSpec Spec() const { return {.sender = "nhs-north", .recipients = {"council-west"}}; }

  std::unique_ptr<HubClient> nhs_;
};

TEST_F(AcceptPathTest, AcceptsAValidConcern) {
  auto envelope = world_->MakeAlert(Spec());
  auto answer = nhs_->Submit(*envelope, 5000);
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(answer->accepted) << answer->refused_msg.reason();
  ASSERT_EQ(answer->accepted_msg.results_size(), 1);
  EXPECT_TRUE(answer->accepted_msg.results(0).queued());
}

TEST_F(AcceptPathTest, RefusesARegisteredKeyClaimingAnotherSender) {
  // Signed properly by the police force's key, but sent over the NHS trust's connection.
  AlertSpec spec{.sender = "police-west", .recipients = {"council-west"}};
  auto envelope = world_->MakeAlert(spec);
  ExpectRefused(*envelope, sghub::v1::REASON_CODE_SENDER_MISMATCH);
  ExpectNothingDelivered();
}

TEST_F(AcceptPathTest, RefusesABadSignature) {
  // Header says nhs-north but the signature is the police key's: rewrite sender after
  // signing is not possible, so sign as police and relabel the header via the edit hook.
  AlertSpec spec = Spec();
  auto envelope = world_->MakeAlert(spec);
  sghub::v1::Envelope e;
  ASSERT_TRUE(e.ParseFromString(*envelope));
  std::string sig = e.signature();
  sig[10] = static_cast<char>(sig[10] ^ 0x01);
  e.set_signature(sig);
  ExpectRefused(e.SerializeAsString(), sghub::v1::REASON_CODE_BAD_SIGNATURE);
  ExpectNothingDelivered();
}

TEST_F(AcceptPathTest, RefusesAnyFlippedHeaderByte) {
  auto envelope = world_->MakeAlert(Spec());
  sghub::v1::Envelope original;
  ASSERT_TRUE(original.ParseFromString(*envelope));
  const std::string header = original.header();
  // Every byte of the signed header: each flip is refused, whatever the reason.
  for (size_t i = 0; i < header.size(); ++i) {
    sghub::v1::Envelope e = original;
    std::string h = header;
    h[i] = static_cast<char>(h[i] ^ 0x40);
    e.set_header(h);
    auto answer = nhs_->Submit(e.SerializeAsString(), 5000);
    ASSERT_TRUE(answer.ok());
    EXPECT_FALSE(answer->accepted) << "flipping header byte " << i << " was accepted";
  }
  ExpectNothingDelivered();
}

TEST_F(AcceptPathTest, RefusesAnExpiredAlert) {
  AlertSpec spec = Spec();
  spec.created_at_ms = 1700000000000;  // long ago
  spec.lifetime_ms = 1000;
  ExpectRefused(*world_->MakeAlert(spec), sghub::v1::REASON_CODE_EXPIRED);
}

TEST_F(AcceptPathTest, RefusesAFutureDatedAlert) {
  AlertSpec spec = Spec();
  spec.created_at_ms = 4102444800000;  // 2100
  ExpectRefused(*world_->MakeAlert(spec), sghub::v1::REASON_CODE_FUTURE_DATED);
}

TEST_F(AcceptPathTest, RefusesAnUnregisteredRecipient) {
  AlertSpec spec = Spec();
  auto envelope = world_->MakeAlert(spec);
  // Re-seal for an unknown recipient: MakeAlert seals unknown ids to the hub's key.
  spec.recipients = {"council-nowhere"};
  auto refused = ExpectRefused(*world_->MakeAlert(spec), sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT);
  EXPECT_EQ(refused.field(), "header.recipients[0]");
}

TEST_F(AcceptPathTest, RefusesAnOversizeFrame) {
  std::string frame(300 * 1024, 'x');
  ASSERT_TRUE(nhs_->SendRawFrame(frame).ok());
  // libzmq drops the connection over maxmsgsize, or the hub refuses the frame; either way
  // nothing is accepted and the hub keeps serving.
  auto envelope = world_->MakeAlert(Spec());
  auto fresh = ConnectAs("nhs-north");
  ASSERT_NE(fresh, nullptr);
  auto answer = fresh->Submit(*envelope, 5000);
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->accepted);
}

TEST_F(AcceptPathTest, RefusesAnOversizeEnvelopeWithinTheFrameLimit) {
  AlertSpec spec = Spec();
  spec.body_bytes = 200 * 1024;  // over max_body_bytes but the frame still fits zmq's cap
  auto envelope = world_->MakeAlert(spec);
  // SealEnvelope itself refuses bodies over the limit; the hub must also refuse a
  // hand-built envelope, so build one that is merely too large a frame.
  if (!envelope.ok()) {
    EXPECT_EQ(envelope.status().reason_code(), sghub::v1::REASON_CODE_FRAME_TOO_LARGE)
        << envelope.status().ToString();
    return;
  }
  auto answer = nhs_->Submit(*envelope, 5000);
  ASSERT_TRUE(answer.ok());
  EXPECT_FALSE(answer->accepted);
}

TEST_F(AcceptPathTest, AnswersGarbageBytesWithAnErrorAndKeepsServing) {
  ASSERT_TRUE(nhs_->SendRawFrame("this is not a frame at all").ok());
  auto error = nhs_->NextOfType(sghub::v1::FRAME_TYPE_ERROR, 5000);
  ASSERT_TRUE(error.ok()) << error.status().ToString();
  sghub::v1::Error e;
  ASSERT_TRUE(e.ParseFromString(error->payload));
  EXPECT_EQ(e.reason_code(), sghub::v1::REASON_CODE_MALFORMED_FRAME);

  sghub::v1::Submit submit;
  submit.set_envelope("garbage envelope bytes");
  auto frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_SUBMIT, submit);
  ASSERT_TRUE(nhs_->SendRawFrame(*frame).ok());
  auto answer = nhs_->NextAnswer(5000);
  ASSERT_TRUE(answer.ok());
  EXPECT_FALSE(answer->accepted);

  auto envelope = world_->MakeAlert(Spec());
  EXPECT_TRUE(nhs_->Submit(*envelope, 5000)->accepted);
}

TEST_F(AcceptPathTest, ReplayOnTheSameConnectionGetsTheOriginalAnswerAndNoSecondDelivery) {
  auto envelope = world_->MakeAlert(Spec());
  auto first = nhs_->Submit(*envelope, 5000);
  ASSERT_TRUE(first.ok() && first->accepted);
  auto second = nhs_->Submit(*envelope, 5000);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->accepted);
  EXPECT_EQ(second->accepted_msg.SerializeAsString(), first->accepted_msg.SerializeAsString());
  auto council = ConnectAs("council-west");
  ASSERT_TRUE(council->NextDelivery(5000).ok());
  EXPECT_FALSE(council->NextDelivery(500).ok()) << "a replay was delivered twice";
}

TEST_F(AcceptPathTest, ReplayOnANewConnectionAndAfterRestartGetsTheOriginalAnswer) {
  auto envelope = world_->MakeAlert(Spec());
  auto first = nhs_->Submit(*envelope, 5000);
  ASSERT_TRUE(first.ok() && first->accepted);
  auto other = ConnectAs("nhs-north");
  auto second = other->Submit(*envelope, 5000);
  ASSERT_TRUE(second.ok() && second->accepted);
  EXPECT_EQ(second->accepted_msg.SerializeAsString(), first->accepted_msg.SerializeAsString());
  other.reset();
  nhs_.reset();
  KillHub();
  StartHub();
  auto after = ConnectAs("nhs-north");
  auto third = after->Submit(*envelope, 5000);
  ASSERT_TRUE(third.ok() && third->accepted);
  EXPECT_EQ(third->accepted_msg.SerializeAsString(), first->accepted_msg.SerializeAsString());
  auto council = ConnectAs("council-west");
  auto d = council->NextDelivery(5000);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(council->Ack(*d).ok());
  EXPECT_FALSE(council->NextDelivery(500).ok()) << "a replay was delivered twice";
}

TEST_F(AcceptPathTest, ReusedMessageIdWithDifferentContentIsRefused) {
  AlertSpec spec = Spec();
  spec.message_id = std::string(16, '\x07');
  ASSERT_TRUE(nhs_->Submit(*world_->MakeAlert(spec), 5000)->accepted);
  spec.category = sghub::v1::CATEGORY_MATE_CRIME;
  ExpectRefused(*world_->MakeAlert(spec), sghub::v1::REASON_CODE_DUPLICATE_CONFLICT);
}

TEST_F(AcceptPathTest, UnregisteredTransportKeyNeverCompletesTheHandshake) {
  auto stranger = wire::AgencyKeys::Generate("stranger", sghub::v1::AGENCY_KIND_COUNCIL);
  ASSERT_TRUE(stranger.ok());
  auto client = HubClient::Connect(context_, world_->endpoint(), *stranger,
                                   world_->hub().card().transport, 1500);
  EXPECT_FALSE(client.ok());
  EXPECT_NE(HubLog().find("transport key not registered"), std::string::npos) << HubLog();
}

}  // namespace
}  // namespace hub::testutil
