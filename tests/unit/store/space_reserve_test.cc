#include "store/space_reserve.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "unit/store/temp_dir.h"

namespace timd::store {
namespace {

int64_t AllocatedBytes(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return static_cast<int64_t>(st.st_blocks) * 512;
}

TEST(SpaceReserveTest, AllocatesReleasesAndRestores) {
  testing::TempDir dir;
  const std::string path = dir.File("timd.db.reserve");
  auto reserve = SpaceReserve::Open(path, 1 << 20);
  ASSERT_TRUE(reserve.ok()) << reserve.status().message();
  EXPECT_TRUE(reserve.value().held());
  EXPECT_GE(AllocatedBytes(path), 1 << 20);  // real blocks, not a sparse file

  reserve.value().Release();
  EXPECT_FALSE(reserve.value().held());
  EXPECT_EQ(AllocatedBytes(path), 0);

  EXPECT_TRUE(reserve.value().Restore());
  EXPECT_GE(AllocatedBytes(path), 1 << 20);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SpaceReserveTest, RestoreFailsWhileTheFileSystemIsTooSmall) {
  testing::TempDir dir;
  // Larger than any file system this runs on can hold.
  auto reserve = SpaceReserve::Open(dir.File("huge.reserve"), uint64_t{1} << 60);
  ASSERT_TRUE(reserve.ok());
  EXPECT_FALSE(reserve.value().held());
  EXPECT_FALSE(reserve.value().Restore());
}

TEST(SpaceReserveTest, RestoreWithHeadroomNeedsThatMuchMoreFree) {
  testing::TempDir dir;
  const std::string path = dir.File("timd.db.reserve");
  auto reserve = SpaceReserve::Open(path, 1 << 20);
  ASSERT_TRUE(reserve.ok());
  reserve.value().Release();
  // More headroom than any file system this runs on has free: refused,
  // and nothing allocated.
  EXPECT_FALSE(reserve.value().Restore(uint64_t{1} << 60));
  EXPECT_FALSE(reserve.value().held());
  EXPECT_EQ(AllocatedBytes(path), 0);
  EXPECT_TRUE(reserve.value().Restore(1 << 20));
  EXPECT_GE(AllocatedBytes(path), 1 << 20);
}

}  // namespace
}  // namespace timd::store
