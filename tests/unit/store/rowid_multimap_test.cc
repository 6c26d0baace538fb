#include "store/rowid_multimap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace timd::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<int64_t> RowidsOf(const RowidMultimap& map, int64_t key) {
  std::vector<int64_t> rowids;
  map.ForEach(key, [&](int64_t rowid) { rowids.push_back(rowid); });
  return rowids;
}

TEST(RowidMultimapTest, EmptyMapFindsNothing) {
  RowidMultimap map;
  EXPECT_THAT(RowidsOf(map, 42), IsEmpty());
  EXPECT_THAT(map.SortedEntries(), IsEmpty());
}

TEST(RowidMultimapTest, KeepsEveryRowidOfAKey) {
  RowidMultimap map;
  map.Insert(7, 1);
  map.Insert(-3, 2);
  map.Insert(7, 3);
  map.Insert(0, 4);  // key 0 is an ordinary key; only rowid 0 marks a free slot
  EXPECT_THAT(RowidsOf(map, 7), UnorderedElementsAre(1, 3));
  EXPECT_THAT(RowidsOf(map, -3), ElementsAre(2));
  EXPECT_THAT(RowidsOf(map, 0), ElementsAre(4));
  EXPECT_THAT(RowidsOf(map, 8), IsEmpty());
  EXPECT_EQ(map.size(), 4u);
}

// Many entries force growth and long probe runs; the map must agree with a
// std::multimap on every key, and list its entries in key order.
TEST(RowidMultimapTest, AgreesWithStdMultimapThroughGrowth) {
  RowidMultimap map;
  std::multimap<int64_t, int64_t> expected;
  std::mt19937_64 random(12345);
  for (int64_t rowid = 1; rowid <= 50000; ++rowid) {
    // Every fourth key repeats an earlier one; some differ only in high bits.
    int64_t key = rowid % 4 == 0 ? expected.begin()->first + rowid % 7 : static_cast<int64_t>(random());
    if (rowid % 5 == 0) key = rowid << 40;
    map.Insert(key, rowid);
    expected.emplace(key, rowid);
  }
  ASSERT_EQ(map.size(), expected.size());
  for (auto it = expected.begin(); it != expected.end(); it = expected.upper_bound(it->first)) {
    std::vector<int64_t> want;
    for (auto [first, last] = expected.equal_range(it->first); first != last; ++first) want.push_back(first->second);
    std::vector<int64_t> got = RowidsOf(map, it->first);
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    ASSERT_EQ(got, want) << "key " << it->first;
  }
  std::vector<std::pair<int64_t, int64_t>> want(expected.begin(), expected.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(map.SortedEntries(), want);
}

TEST(RowidMultimapTest, ClearEmptiesAndTheMapStaysUsable) {
  RowidMultimap map;
  for (int64_t rowid = 1; rowid <= 3000; ++rowid) map.Insert(rowid * 11, rowid);
  map.Clear();
  EXPECT_EQ(map.size(), 0u);
  EXPECT_THAT(RowidsOf(map, 11), IsEmpty());
  map.Insert(11, 9);
  EXPECT_THAT(RowidsOf(map, 11), ElementsAre(9));
  EXPECT_THAT(map.SortedEntries(), ElementsAre(std::make_pair(int64_t{11}, int64_t{9})));
}

}  // namespace
}  // namespace timd::store
