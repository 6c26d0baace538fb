// A multimap from 64-bit key to rowid in one flat array (open addressing,
// linear probing): MsgIdIndex's write buffer. A node-based map costs an
// allocation per entry and a cache miss or two per lookup; here an entry is
// 16 bytes inline, a lookup usually touches one cache line, and Clear() is
// one memset. Entries are only added or all cleared at once, never erased.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace timd::store {

class RowidMultimap {
 public:
  // Rowids are SQLite rowids of stored rows: > 0 (0 marks a free slot).
  void Insert(int64_t key, int64_t rowid);
  // Calls f(rowid) for every entry with `key`.
  template <typename F>
  void ForEach(int64_t key, F&& f) const {
    if (size_ == 0) return;
    for (size_t i = SlotOf(key);; i = (i + 1) & mask_) {
      const Entry& e = slots_[i];
      if (e.rowid == 0) return;
      if (e.key == key) f(e.rowid);
    }
  }
  // All entries, ordered by key, then rowid.
  std::vector<std::pair<int64_t, int64_t>> SortedEntries() const;
  // Removes every entry; keeps the capacity for the next round.
  void Clear();
  size_t size() const { return size_; }

 private:
  struct Entry {
    int64_t key;
    int64_t rowid;
  };
  static constexpr size_t kMinSlots = 1024;

  size_t SlotOf(int64_t key) const;
  void Place(Entry entry);
  void Grow();

  std::vector<Entry> slots_;
  size_t mask_ = 0;  // slots_.size() - 1 (a power of two)
  size_t size_ = 0;
};

}  // namespace timd::store
