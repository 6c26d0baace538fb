#include "store/rowid_multimap.h"

#include <algorithm>
#include <cassert>

namespace timd::store {

size_t RowidMultimap::SlotOf(int64_t key) const {
  // Fibonacci hashing: spreads keys that differ only in their low bits.
  return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
}

void RowidMultimap::Place(Entry entry) {
  size_t i = SlotOf(entry.key);
  while (slots_[i].rowid != 0) i = (i + 1) & mask_;
  slots_[i] = entry;
}

void RowidMultimap::Grow() {
  std::vector<Entry> old = std::move(slots_);
  slots_.assign(std::max(kMinSlots, old.size() * 2), Entry{0, 0});
  mask_ = slots_.size() - 1;
  for (const Entry& e : old) {
    if (e.rowid != 0) Place(e);
  }
}

void RowidMultimap::Insert(int64_t key, int64_t rowid) {
  assert(rowid != 0);
  // At most half full: probe runs stay short.
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  Place(Entry{key, rowid});
  ++size_;
}

std::vector<std::pair<int64_t, int64_t>> RowidMultimap::SortedEntries() const {
  std::vector<std::pair<int64_t, int64_t>> entries;
  entries.reserve(size_);
  for (const Entry& e : slots_) {
    if (e.rowid != 0) entries.emplace_back(e.key, e.rowid);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

void RowidMultimap::Clear() {
  std::fill(slots_.begin(), slots_.end(), Entry{0, 0});
  size_ = 0;
}

}  // namespace timd::store
