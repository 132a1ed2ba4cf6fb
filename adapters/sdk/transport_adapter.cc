#include "adapters/sdk/transport_adapter.h"

#include "hub/base/bytes.h"

namespace hub::sdk {

TransportAdapter::TransportAdapter(codecs::CodecPtr codec, TransportPtr transport, ClockPtr clock)
    : AdapterBase(std::move(clock)), codec_(std::move(codec)), transport_(std::move(transport)) {}

TransportAdapter::~TransportAdapter() { Stop(); }

Status TransportAdapter::OnStart() { return transport_->Start(*this, *codec_); }

void TransportAdapter::OnStop() { transport_->Stop(); }

Status TransportAdapter::HandleAlert(const Delivered& alert) {
  codecs::DeliveredAlert rendered_input{alert.header, alert.body};
  auto content = codec_->Encode(rendered_input);
  if (!content.ok()) {
    return content.status();  // cannot be represented: a permanent failure
  }
  RenderedDocument document;
  document.id_hex = HexEncode(AsBytes(alert.header.message_id()));
  document.kind = "alert";
  document.content = std::move(*content);
  document.extension = std::string(codec_->file_extension());
  return transport_->DeliverAlert(document);
}

Status TransportAdapter::HandleNotice(const sghub::v1::NoticeBody& notice) {
  auto content = codec_->EncodeNotice(notice);
  if (!content.ok()) {
    return content.status();
  }
  RenderedDocument document;
  document.id_hex = HexEncode(AsBytes(notice.notice_id()));
  document.kind = "notice";
  document.content = std::move(*content);
  document.extension = std::string(codec_->file_extension());
  return transport_->DeliverNotice(document);
}

}  // namespace hub::sdk
