// audit_fill DB ENTRIES CHECKPOINT_EVERY CARD_OUT: writes a store with a synthetic audit
// trail and the public card of the (throwaway) hub key that signed its checkpoints, for
// timing `sghubctl audit verify` (docs/audit.md, "Speed"). Not installed; not a test.
#include <cstdlib>
#include <iostream>
#include <string>

#include "hub/wire/crypto_init.h"
#include "hub/wire/key_files.h"
#include "tests/hub/ctl/audit_filler.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: audit_fill DB ENTRIES CHECKPOINT_EVERY CARD_OUT\n";
    return 2;
  }
  if (hub::Status s = hub::wire::InitCrypto(); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 2;
  }
  auto hub = hub::wire::AgencyKeys::Generate("hub", sghub::v1::AGENCY_KIND_HUB);
  if (!hub.ok()) {
    std::cerr << hub.status().ToString() << "\n";
    return 2;
  }
  hub::Status s = hub::ctl::FillAuditTrail(argv[1], std::atoll(argv[2]), std::atoll(argv[3]), *hub);
  if (s.ok()) {
    s = hub::wire::WriteCardFile(hub->card(), argv[4]);
  }
  if (!s.ok()) {
    std::cerr << "audit_fill: " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}
