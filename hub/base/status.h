// Status is the error value returned across every hub library boundary: a code that a
// program can branch on and a message that a person can act on. No exception crosses a
// hub_* library; callers check ok() or propagate with HUB_RETURN_IF_ERROR.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace hub {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,   // bad input: names the field and the reason
    kUnauthenticated,   // signature, key or identity did not check out
    kPermissionDenied,  // authenticated, but not allowed (policy, file mode)
    kNotFound,
    kAlreadyExists,
    kUnavailable,       // backpressure or shutdown: retry later
    kCorruption,        // stored or received bytes are not what they claim to be
    kIOError,           // the operating system refused
    kResourceExhausted, // the disk (or a quota) is full: retry once space returns
    kInternal,          // a broken invariant that was caught rather than aborted
  };

  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {Code::kUnauthenticated, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {Code::kPermissionDenied, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) {
    return {Code::kResourceExhausted, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsUnauthenticated() const { return code_ == Code::kUnauthenticated; }
  bool IsPermissionDenied() const { return code_ == Code::kPermissionDenied; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsResourceExhausted() const { return code_ == Code::kResourceExhausted; }

  // Protocol detail for errors that travel back to an adapter: the sghub.v1.ReasonCode value
  // and the field at fault (e.g. "header.expires_at_ms"). Zero and empty when not set.
  Status WithReason(int32_t reason_code, std::string field) &&;
  int32_t reason_code() const { return reason_code_; }
  const std::string& field() const { return field_; }

  // Returns a copy whose message is "context: message"; the code is kept.
  Status WithContext(std::string_view context) const;

  // "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  static std::string_view CodeName(Code code);

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
  int32_t reason_code_ = 0;
  std::string field_;
};

}  // namespace hub

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define HUB_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::hub::Status hub_status_tmp_ = (expr);    \
    if (!hub_status_tmp_.ok()) {               \
      return hub_status_tmp_;                  \
    }                                          \
  } while (false)
