// A MessageStore over a real SQLite file in a fresh directory, for the
// store's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "store/message_store.h"
#include "unit/store/temp_dir.h"

namespace timd::store {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    store_ = std::make_unique<MessageStore>(*db_);
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<MessageStore> store_;
};

}  // namespace timd::store
