// sghub-adapter-nhs_mh: the nhs_mh agency's adapter (codec fhir_r4; transport from config).
#include "adapters/sdk/run_adapter_main.h"

int main(int argc, char** argv) {
  return hub::sdk::RunAdapterMain(argc, argv, {.kind = "nhs_mh", .default_codec = "fhir_r4"});
}
