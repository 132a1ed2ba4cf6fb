// The hub's configuration parser on arbitrary text. ParseHubConfig only checks that key and
// card paths exist (never opens them for writing), and relative paths resolve against a
// directory that does not exist, so the fuzzer cannot touch the file system.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hub/config/hub_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)hub::config::ParseHubConfig(text, "/nonexistent/sghub-fuzz/hub.toml");
  return 0;
}
