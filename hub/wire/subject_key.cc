#include "hub/wire/subject_key.h"

#include <sodium.h>

#include <algorithm>
#include <string_view>

#include "hub/wire/crypto_init.h"
#include "hub/wire/secure_file.h"

namespace hub::wire {
namespace {

// "SGHUBSUB" | version u8 = 1 | 3 zero bytes | key (32) | BLAKE2b-256 of the preceding 44.
constexpr std::string_view kMagic = "SGHUBSUB";
constexpr size_t kHeaderBytes = 12;
constexpr size_t kFileBytes = kHeaderBytes + SubjectKey::kBytes + 32;

void Checksum(ByteView in, std::byte* out) {
  crypto_generichash(reinterpret_cast<unsigned char*>(out), 32,
                     reinterpret_cast<const unsigned char*>(in.data()), in.size(), nullptr, 0);
}

}  // namespace

Result<SubjectKey> SubjectKey::Generate() {
  HUB_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Allocate(kBytes));
  randombytes_buf(key.mutable_bytes().data(), kBytes);
  return SubjectKey(std::move(key));
}

Result<SubjectKey> SubjectKey::FromBytes(ByteView bytes) {
  if (bytes.size() != kBytes) {
    return Status::InvalidArgument("a subject key is 32 bytes, got " +
                                   std::to_string(bytes.size()));
  }
  HUB_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Allocate(kBytes));
  std::copy(bytes.begin(), bytes.end(), key.mutable_bytes().begin());
  return SubjectKey(std::move(key));
}

Result<SubjectKey> SubjectKey::LoadFile(const std::filesystem::path& path) {
  HUB_ASSIGN_OR_RETURN(SecretKey file, ReadSecretFile(path, kFileBytes, "subject key file"));
  const ByteView in = file.bytes();
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("subject key file " + path.string() + ": " + why);
  };
  if (in.size() != kFileBytes || AsStringView(in.first(8)) != kMagic) {
    return corrupt("not an sghub subject key file (bad magic or size)");
  }
  if (in[8] != std::byte{1} || in[9] != std::byte{0} || in[10] != std::byte{0} ||
      in[11] != std::byte{0}) {
    return corrupt("unsupported version or non-zero reserved bytes");
  }
  std::array<std::byte, 32> sum{};
  Checksum(in.first(kHeaderBytes + kBytes), sum.data());
  if (sodium_memcmp(sum.data(), in.last(32).data(), 32) != 0) {
    return corrupt("checksum mismatch: the file is damaged");
  }
  return FromBytes(in.subspan(kHeaderBytes, kBytes));
}

Status SubjectKey::WriteFile(const std::filesystem::path& path) const {
  HUB_ASSIGN_OR_RETURN(SecretKey buf, SecretKey::Allocate(kFileBytes));
  std::span<std::byte> out = buf.mutable_bytes();
  const ByteView magic = AsBytes(kMagic);
  std::copy(magic.begin(), magic.end(), out.begin());
  out[8] = std::byte{1};
  std::copy(key_.bytes().begin(), key_.bytes().end(), out.begin() + kHeaderBytes);
  Checksum(buf.bytes().first(kHeaderBytes + kBytes), out.data() + kHeaderBytes + kBytes);
  return WriteNewFile(path, buf.bytes(), 0600);
}

}  // namespace hub::wire
