// Result<T> holds either a value or a non-OK Status, shaped like absl::StatusOr. g++ 12 has
// no std::expected in C++20 mode.
#pragma once

#include <optional>
#include <utility>

#include "hub/base/check.h"
#include "hub/base/status.h"

namespace hub {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, so `return value;` and `return Status::X(...)` both read naturally.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    HUB_CHECK(!status_.ok(), "Result built from an OK Status without a value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Accessors abort when there is no value: check ok() first.
  T& value() & {
    HUB_CHECK(ok(), "Result::value() on an error");
    return *value_;
  }
  const T& value() const& {
    HUB_CHECK(ok(), "Result::value() on an error");
    return *value_;
  }
  T&& value() && {
    HUB_CHECK(ok(), "Result::value() on an error");
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace hub

#define HUB_RESULT_CONCAT_INNER_(a, b) a##b
#define HUB_RESULT_CONCAT_(a, b) HUB_RESULT_CONCAT_INNER_(a, b)

// HUB_ASSIGN_OR_RETURN(auto x, Foo()); returns Foo()'s Status when it is not OK.
#define HUB_ASSIGN_OR_RETURN(lhs, expr)                                      \
  auto HUB_RESULT_CONCAT_(hub_result_tmp_, __LINE__) = (expr);               \
  if (!HUB_RESULT_CONCAT_(hub_result_tmp_, __LINE__).ok()) {                 \
    return HUB_RESULT_CONCAT_(hub_result_tmp_, __LINE__).status();           \
  }                                                                          \
  lhs = std::move(HUB_RESULT_CONCAT_(hub_result_tmp_, __LINE__)).value()
