#include "hub/wire/key_files.h"

#include <sodium.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "hub/wire/secure_file.h"

namespace hub::wire {
namespace {

// Secret key file layout (docs/wire_format.md): header, id, three secrets, three public
// keys, BLAKE2b-256 checksum of everything before it.
constexpr std::string_view kKeyMagic = "SGHUBKEY";
constexpr size_t kKeyHeaderBytes = 12;
constexpr std::byte kKeyVersion{1};
constexpr size_t kKeyFixedBytes = kKeyHeaderBytes + 6 * 32 + 32;
constexpr size_t kMaxKeyFileBytes = kKeyFixedBytes + 64;

void Put(std::span<std::byte> out, size_t& at, ByteView in) {
  std::copy(in.begin(), in.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
  at += in.size();
}

std::array<std::byte, 32> Blake2b256(ByteView in) {
  std::array<std::byte, 32> digest{};
  crypto_generichash(reinterpret_cast<unsigned char*>(digest.data()), digest.size(),
                     reinterpret_cast<const unsigned char*>(in.data()), in.size(), nullptr, 0);
  return digest;
}

Status CardError(const std::filesystem::path& path, int64_t line, std::string_view key,
                 std::string_view why) {
  std::string msg = path.string();
  if (line > 0) {
    msg += ":" + std::to_string(line);
  }
  msg += ": ";
  if (!key.empty()) {
    msg += std::string(key) + ": ";
  }
  msg += why;
  return Status::InvalidArgument(std::move(msg))
      .WithReason(sghub::v1::REASON_CODE_INVALID_FIELD, std::string(key));
}

}  // namespace

Status WriteSecretKeyFile(const AgencyKeys& keys, const std::filesystem::path& path) {
  const AgencyCard& card = keys.card();
  const size_t total = kKeyFixedBytes + card.id.size();
  HUB_ASSIGN_OR_RETURN(SecretKey buf, SecretKey::Allocate(total));
  std::span<std::byte> out = buf.mutable_bytes();
  size_t at = 0;
  Put(out, at, AsBytes(kKeyMagic));
  out[at++] = kKeyVersion;
  out[at++] = static_cast<std::byte>(card.kind);
  out[at++] = static_cast<std::byte>(card.id.size());
  out[at++] = std::byte{0};
  Put(out, at, AsBytes(card.id));
  Put(out, at, keys.transport_secret().bytes());
  Put(out, at, keys.signing_secret().bytes().first(32));  // the Ed25519 seed
  Put(out, at, keys.sealing_secret().bytes());
  Put(out, at, card.transport.bytes);
  Put(out, at, card.signing.bytes);
  Put(out, at, card.sealing.bytes);
  const auto checksum = Blake2b256(buf.bytes().first(at));
  Put(out, at, checksum);
  HUB_CHECK(at == total, "key file layout arithmetic");
  return WriteNewFile(path, buf.bytes(), 0600);
}

Result<AgencyKeys> LoadSecretKeyFile(const std::filesystem::path& path) {
  HUB_ASSIGN_OR_RETURN(SecretKey buf, ReadSecretFile(path, kMaxKeyFileBytes, "key file"));
  const ByteView in = buf.bytes();
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("key file " + path.string() + ": " + why);
  };
  if (in.size() < kKeyFixedBytes + 1 || AsStringView(in.first(8)) != kKeyMagic) {
    return corrupt("not an sghub secret key file (bad magic or too short)");
  }
  if (in[8] != kKeyVersion) {
    return corrupt("unsupported key file version " + std::to_string(static_cast<int>(in[8])));
  }
  const auto id_len = static_cast<size_t>(in[10]);
  if (in.size() != kKeyFixedBytes + id_len) {
    return corrupt("length " + std::to_string(in.size()) + " does not match id length " +
                   std::to_string(id_len));
  }
  if (in[11] != std::byte{0}) {
    return corrupt("reserved byte is not zero");
  }
  const auto checksum = Blake2b256(in.first(in.size() - 32));
  if (sodium_memcmp(checksum.data(), in.last(32).data(), 32) != 0) {
    return corrupt("checksum mismatch: the file is damaged");
  }
  const auto kind = static_cast<sghub::v1::AgencyKind>(static_cast<int>(in[9]));
  std::string id(AsStringView(in.subspan(kKeyHeaderBytes, id_len)));
  size_t at = kKeyHeaderBytes + id_len;
  const ByteView transport = in.subspan(at, 32);
  const ByteView seed = in.subspan(at + 32, 32);
  const ByteView sealing = in.subspan(at + 64, 32);
  at += 96;
  auto loaded = AgencyKeys::FromSecrets(std::move(id), kind, transport, seed, sealing);
  if (!loaded.ok()) {
    return corrupt(loaded.status().message());
  }
  const AgencyCard& card = loaded->card();
  if (!std::equal(card.transport.bytes.begin(), card.transport.bytes.end(),
                  in.begin() + static_cast<std::ptrdiff_t>(at)) ||
      !std::equal(card.signing.bytes.begin(), card.signing.bytes.end(),
                  in.begin() + static_cast<std::ptrdiff_t>(at + 32)) ||
      !std::equal(card.sealing.bytes.begin(), card.sealing.bytes.end(),
                  in.begin() + static_cast<std::ptrdiff_t>(at + 64))) {
    return corrupt("public keys derived from the secrets differ from the stored ones");
  }
  return loaded;
}

Status WriteCardFile(const AgencyCard& card, const std::filesystem::path& path) {
  HUB_RETURN_IF_ERROR(ValidateAgencyId(card.id));
  // Written by hand so the order and the comment are fixed; the id is validated above and
  // cannot contain a character that needs escaping.
  std::string text;
  text += "# sghub agency card: public keys only, safe to share\n";
  text += "[agency]\n";
  text += "id = \"" + card.id + "\"\n";
  text += "kind = \"" + std::string(AgencyKindName(card.kind)) + "\"\n";
  text += "transport_public = \"" + card.transport.Hex() + "\"\n";
  text += "signing_public = \"" + card.signing.Hex() + "\"\n";
  text += "sealing_public = \"" + card.sealing.Hex() + "\"\n";
  return WriteNewFile(path, AsBytes(text), 0644);
}

Result<AgencyCard> LoadCardFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return Status::NotFound("card file " + path.string() + " does not exist");
    }
    return Status::IOError("cannot read card file " + path.string());
  }
  std::stringstream content;
  content << file.rdbuf();
  toml::table root;
  try {
    root = toml::parse(content.str(), path.string());
  } catch (const toml::parse_error& e) {
    return CardError(path, e.source().begin.line, "", std::string(e.description()));
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "agency") {
      return CardError(path, node.source().begin.line, key.str(),
                       "unknown key; a card holds only the [agency] table");
    }
  }
  const toml::table* agency = root["agency"].as_table();
  if (agency == nullptr) {
    return CardError(path, 0, "agency", "missing [agency] table");
  }
  static constexpr std::string_view kKeys[] = {"id", "kind", "transport_public", "signing_public",
                                               "sealing_public"};
  for (const auto& [key, node] : *agency) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key.str()) == std::end(kKeys)) {
      return CardError(path, node.source().begin.line, "agency." + std::string(key.str()),
                       "unknown key");
    }
  }
  auto get = [&](std::string_view key) -> Result<std::string> {
    const toml::node* node = agency->get(key);
    const std::string name = "agency." + std::string(key);
    if (node == nullptr) {
      return CardError(path, 0, name, "missing");
    }
    const auto* str = node->as_string();
    if (str == nullptr) {
      return CardError(path, node->source().begin.line, name, "must be a string");
    }
    return str->get();
  };
  auto line_of = [&](std::string_view key) -> int64_t {
    const toml::node* node = agency->get(key);
    return node == nullptr ? 0 : static_cast<int64_t>(node->source().begin.line);
  };
  AgencyCard card;
  HUB_ASSIGN_OR_RETURN(card.id, get("id"));
  if (Status s = ValidateAgencyId(card.id); !s.ok()) {
    return CardError(path, line_of("id"), "agency.id", s.message());
  }
  HUB_ASSIGN_OR_RETURN(std::string kind, get("kind"));
  auto parsed_kind = ParseAgencyKind(kind);
  if (!parsed_kind.ok()) {
    return CardError(path, line_of("kind"), "agency.kind", parsed_kind.status().message());
  }
  card.kind = *parsed_kind;
  struct KeyField {
    std::string_view key;
    PublicKey* out;
  };
  for (const KeyField& f :
       {KeyField{"transport_public", &card.transport}, KeyField{"signing_public", &card.signing},
        KeyField{"sealing_public", &card.sealing}}) {
    HUB_ASSIGN_OR_RETURN(std::string hex, get(f.key));
    auto key = PublicKey::FromHex(hex, "agency." + std::string(f.key));
    if (!key.ok()) {
      return CardError(path, line_of(f.key), "agency." + std::string(f.key),
                       key.status().message().substr(key.status().message().find(": ") + 2));
    }
    *f.out = *key;
  }
  return card;
}

}  // namespace hub::wire
