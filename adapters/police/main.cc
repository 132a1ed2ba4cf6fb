// sghub-adapter-police: the police agency's adapter (codec police_json; transport from config).
#include "adapters/sdk/run_adapter_main.h"

int main(int argc, char** argv) {
  return hub::sdk::RunAdapterMain(argc, argv, {.kind = "police", .default_codec = "police_json"});
}
