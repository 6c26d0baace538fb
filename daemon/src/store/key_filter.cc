#include "store/key_filter.h"

#include <algorithm>

namespace timd::store {
namespace {

// splitmix64's finalizer: every output bit depends on every key bit.
uint64_t Mix(int64_t key) {
  uint64_t x = static_cast<uint64_t>(key);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

constexpr size_t kMinBits = 10;  // per expected key

}  // namespace

KeyFilter::KeyFilter(size_t expected_keys) {
  const size_t wanted_bits = std::max<size_t>(expected_keys, 4096) * kMinBits;
  size_t blocks = 1;
  while (blocks * kWordsPerBlock * 64 < wanted_bits) blocks *= 2;
  words_.assign(blocks * kWordsPerBlock, 0);
  block_mask_ = blocks - 1;
  capacity_ = blocks * kWordsPerBlock * 64 / kMinBits;
}

// Bits 0..35 of the mix pick the bits inside the block (9 each), bits 36..63
// pick the block.
void KeyFilter::Add(int64_t key) {
  const uint64_t x = Mix(key);
  uint64_t* block = &words_[((x >> 36) & block_mask_) * kWordsPerBlock];
  for (int i = 0; i < kBitsPerKey; ++i) {
    const unsigned bit = (x >> (9 * i)) & 511;
    block[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  ++added_;
}

bool KeyFilter::MayContain(int64_t key) const {
  const uint64_t x = Mix(key);
  const uint64_t* block = &words_[((x >> 36) & block_mask_) * kWordsPerBlock];
  for (int i = 0; i < kBitsPerKey; ++i) {
    const unsigned bit = (x >> (9 * i)) & 511;
    if ((block[bit >> 6] & (uint64_t{1} << (bit & 63))) == 0) return false;
  }
  return true;
}

}  // namespace timd::store
