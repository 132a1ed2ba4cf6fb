// wire_vectors: prints the sghub.v1 test vectors as JSON (default; the content of v1.json)
// or, with --markdown, as the block embedded in docs/wire_format.md.
#include <cstring>
#include <iostream>

#include "tests/hub/wire/vectors/vectors.h"

int main(int argc, char** argv) {
  auto vectors = hub::wire::vectors::ComputeVectorsV1();
  if (!vectors.ok()) {
    std::cerr << "wire_vectors: " << vectors.status().ToString() << "\n";
    return 2;
  }
  if (argc > 1 && std::strcmp(argv[1], "--markdown") == 0) {
    std::cout << hub::wire::vectors::RenderVectorsMarkdown(*vectors);
  } else {
    std::cout << vectors->dump(2) << "\n";
  }
  return 0;
}
