// A Bloom filter over 64-bit keys (msg_key.h): it answers "certainly
// absent" for most keys that were never added, so a lookup of a new
// message's id need not search the msg_keys table at all. False positives
// cost only that search; there are no false negatives.
//
// Blocked: all of a key's bits lie in one 64-byte block, so a query costs
// one cache miss instead of one per bit, for a slightly higher
// false-positive rate at the same size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace timd::store {

class KeyFilter {
 public:
  // Sized for `expected_keys` at 10 to 20 bits a key (a power-of-two number
  // of blocks): about 1% false positives or fewer.
  explicit KeyFilter(size_t expected_keys = 0);

  void Add(int64_t key);
  bool MayContain(int64_t key) const;
  // Keys it was sized for; past this the false-positive rate climbs.
  size_t capacity() const { return capacity_; }
  size_t added() const { return added_; }

 private:
  static constexpr size_t kWordsPerBlock = 8;  // 512 bits: one cache line
  static constexpr int kBitsPerKey = 4;

  std::vector<uint64_t> words_;
  uint64_t block_mask_ = 0;  // block count - 1
  size_t capacity_ = 0;
  size_t added_ = 0;
};

}  // namespace timd::store
