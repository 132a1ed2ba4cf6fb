#include "hub/wire/unknown_fields.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <string>
#include <vector>

#include "hub/wire/wire_status.h"

namespace hub::wire {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Indexed(std::string_view path, std::string_view name, int index) {
  std::string out = std::string(path) + "." + std::string(name);
  if (index >= 0) {
    out += "[" + std::to_string(index) + "]";
  }
  return out;
}

// Calls visit(sub_message, sub_path) for every set message-typed field of `message`.
template <typename Visit>
Status ForEachSubMessage(const Message& message, std::string_view path, Visit visit) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        HUB_RETURN_IF_ERROR(visit(reflection->GetRepeatedMessage(message, field, i),
                                  Indexed(path, field->name(), i)));
      }
    } else {
      HUB_RETURN_IF_ERROR(
          visit(reflection->GetMessage(message, field), Indexed(path, field->name(), -1)));
    }
  }
  return Status::Ok();
}

}  // namespace

Status RejectUnknownFields(const Message& message, std::string_view path) {
  const auto& unknown = message.GetReflection()->GetUnknownFields(message);
  if (!unknown.empty()) {
    return FieldError(sghub::v1::REASON_CODE_UNKNOWN_FIELD, path,
                      "unknown field number " + std::to_string(unknown.field(0).number()) + " in " +
                          std::string(message.GetDescriptor()->name()) +
                          "; a signed or checked message must hold only fields of sghub.v1");
  }
  return ForEachSubMessage(message, path, [](const Message& sub, const std::string& sub_path) {
    return RejectUnknownFields(sub, sub_path);
  });
}

Status RejectUnknownEnumValues(const Message& message, std::string_view path) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_ENUM) {
      continue;
    }
    const auto* type = field->enum_type();
    const int n = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < n; ++i) {
      const int value = field->is_repeated() ? reflection->GetRepeatedEnumValue(message, field, i)
                                             : reflection->GetEnumValue(message, field);
      if (type->FindValueByNumber(value) == nullptr) {
        return FieldError(
            sghub::v1::REASON_CODE_INVALID_FIELD,
            Indexed(path, field->name(), field->is_repeated() ? i : -1),
            std::to_string(value) + " is not a value of " + std::string(type->full_name()));
      }
    }
  }
  return ForEachSubMessage(message, path, [](const Message& sub, const std::string& sub_path) {
    return RejectUnknownEnumValues(sub, sub_path);
  });
}

}  // namespace hub::wire
