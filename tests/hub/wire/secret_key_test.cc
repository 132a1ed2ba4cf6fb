#include "hub/wire/secret_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <type_traits>
#include <utility>

#include "hub/wire/crypto_init.h"
#include "hub/wire/process_hardening.h"

namespace hub::wire {
namespace {

bool AllZero(ByteView b) {
  return std::all_of(b.begin(), b.end(), [](std::byte x) { return x == std::byte{0}; });
}

TEST(SecretKeyTest, CannotBeCopied) {
  static_assert(!std::is_copy_constructible_v<SecretKey>);
  static_assert(!std::is_copy_assignable_v<SecretKey>);
  static_assert(std::is_nothrow_move_constructible_v<SecretKey>);
}

TEST(SecretKeyTest, AllocatesZeroedBytesOfTheAskedSize) {
  auto key = SecretKey::Allocate(48);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->size(), 48u);
  EXPECT_FALSE(key->empty());
  EXPECT_TRUE(AllZero(key->bytes()));
}

TEST(SecretKeyTest, RefusesZeroSize) {
  EXPECT_TRUE(SecretKey::Allocate(0).status().IsInvalidArgument());
}

TEST(SecretKeyTest, MoveTransfersTheBytesAndEmptiesTheSource) {
  auto made = SecretKey::Allocate(32);
  ASSERT_TRUE(made.ok());
  SecretKey a = std::move(made).value();
  std::fill(a.mutable_bytes().begin(), a.mutable_bytes().end(), std::byte{0xab});
  const std::byte* where = a.bytes().data();

  SecretKey b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is defined as empty
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.bytes().data(), nullptr);
  EXPECT_EQ(b.size(), 32u);
  EXPECT_EQ(b.bytes().data(), where);  // no copy of the secret was made
  EXPECT_EQ(b.bytes()[31], std::byte{0xab});

  auto other = SecretKey::Allocate(8);
  ASSERT_TRUE(other.ok());
  SecretKey c = std::move(other).value();
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.size(), 32u);
  EXPECT_EQ(c.bytes()[0], std::byte{0xab});
}

TEST(SecretKeyTest, WipeZeroesTheBytes) {
  auto key = SecretKey::Allocate(64);
  ASSERT_TRUE(key.ok());
  std::fill(key->mutable_bytes().begin(), key->mutable_bytes().end(), std::byte{0x5c});
  ASSERT_FALSE(AllZero(key->bytes()));
  key->Wipe();
  EXPECT_EQ(key->size(), 64u);
  EXPECT_TRUE(AllZero(key->bytes()));
}

TEST(SecretKeyTest, DefaultConstructedIsEmptyAndSafeToDestroy) {
  SecretKey empty;
  EXPECT_TRUE(empty.empty());
  empty.Wipe();
}

TEST(CryptoInitTest, IsIdempotent) {
  EXPECT_TRUE(InitCrypto().ok());
  EXPECT_TRUE(InitCrypto().ok());
}

}  // namespace
}  // namespace hub::wire
