#include "adapters/codecs/enum_names.h"

#include <cctype>

namespace hub::codecs {
namespace {

// "CATEGORY_" for Category: the zero value is always "<PREFIX>UNSPECIFIED".
std::string_view Prefix(const google::protobuf::EnumDescriptor* d) {
  const google::protobuf::EnumValueDescriptor* zero = d->FindValueByNumber(0);
  if (zero == nullptr) {
    return {};
  }
  std::string_view n = zero->name();
  constexpr std::string_view kUnspecified = "UNSPECIFIED";
  if (n.size() >= kUnspecified.size() && n.ends_with(kUnspecified)) {
    n.remove_suffix(kUnspecified.size());
    return n;
  }
  return {};
}

std::string Readable(const google::protobuf::EnumDescriptor* d,
                     const google::protobuf::EnumValueDescriptor* v) {
  std::string_view n = v->name();
  std::string_view prefix = Prefix(d);
  if (n.starts_with(prefix)) {
    n.remove_prefix(prefix.size());
  }
  std::string out(n);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::optional<int> EnumValueFromName(const google::protobuf::EnumDescriptor* descriptor,
                                     std::string_view name) {
  if (descriptor == nullptr || name.empty()) {
    return std::nullopt;
  }
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = descriptor->value(i);
    if (v->number() != 0 && Readable(descriptor, v) == name) {
      return v->number();
    }
  }
  return std::nullopt;
}

std::string EnumValueName(const google::protobuf::EnumDescriptor* descriptor, int value) {
  if (descriptor == nullptr || value == 0) {
    return "";
  }
  const google::protobuf::EnumValueDescriptor* v = descriptor->FindValueByNumber(value);
  return v == nullptr ? "" : Readable(descriptor, v);
}

std::string EnumNameList(const google::protobuf::EnumDescriptor* descriptor) {
  std::string out;
  if (descriptor == nullptr) {
    return out;
  }
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = descriptor->value(i);
    if (v->number() == 0) {
      continue;
    }
    if (!out.empty()) {
      out += '|';
    }
    out += Readable(descriptor, v);
  }
  return out;
}

}  // namespace hub::codecs
