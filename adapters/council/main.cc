// sghub-adapter-council: the council agency's adapter (codec council_json; transport from config).
#include "adapters/sdk/run_adapter_main.h"

int main(int argc, char** argv) {
  return hub::sdk::RunAdapterMain(argc, argv, {.kind = "council", .default_codec = "council_json"});
}
