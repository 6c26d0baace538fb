#include "store/key_filter.h"

#include <gtest/gtest.h>

#include <random>

namespace timd::store {
namespace {

TEST(KeyFilterTest, EmptyFilterContainsNothing) {
  KeyFilter filter;
  EXPECT_FALSE(filter.MayContain(0));
  EXPECT_FALSE(filter.MayContain(42));
  EXPECT_EQ(filter.added(), 0u);
}

TEST(KeyFilterTest, NoFalseNegativesAndFewFalsePositivesAtCapacity) {
  KeyFilter filter(50000);
  ASSERT_GE(filter.capacity(), 50000u);
  std::mt19937_64 random(7);
  std::vector<int64_t> added;
  // Filled to its capacity: the worst false-positive rate it promises.
  for (size_t i = 0; i < filter.capacity(); ++i) {
    added.push_back(static_cast<int64_t>(random()));
    filter.Add(added.back());
  }
  for (int64_t key : added) ASSERT_TRUE(filter.MayContain(key)) << key;
  // Sequential keys too: the filter must not rely on random-looking input.
  KeyFilter sequential(1000);
  for (int64_t key = 0; key < 1000; ++key) sequential.Add(key);
  for (int64_t key = 0; key < 1000; ++key) ASSERT_TRUE(sequential.MayContain(key)) << key;

  int false_positives = 0;
  constexpr int kProbes = 100000;
  for (int i = 0; i < kProbes; ++i) false_positives += filter.MayContain(static_cast<int64_t>(random())) ? 1 : 0;
  // 10 bits a key and 4 bits set per key, in 512-bit blocks: about 1-2%.
  EXPECT_LT(false_positives, kProbes * 3 / 100) << false_positives << " false positives";
}

TEST(KeyFilterTest, CapacityGrowsWithTheExpectedKeys) {
  EXPECT_GE(KeyFilter(0).capacity(), 4096u);
  EXPECT_GE(KeyFilter(1000000).capacity(), 1000000u);
  EXPECT_LE(KeyFilter(1000000).capacity(), 2000000u);  // rounding at most doubles it
}

}  // namespace
}  // namespace timd::store
