// PlanSrvTargets: RFC 2782 ordering, XEP-0368 merging, "." and the bounds
// that keep hostile DNS answers from costing more than a few attempts.
#include "xmpp/srv_order.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace timd::xmpp {
namespace {

SrvRecord Record(std::string target, uint16_t port, uint16_t priority, uint16_t weight = 0) {
  return SrvRecord{std::move(target), port, priority, weight};
}

TEST(SrvOrderTest, NoRecordsAtAllMeansFallBackToTheDomain) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({}, {}, random);
  EXPECT_EQ(plan.outcome, SrvPlan::Outcome::kNoRecords);
  EXPECT_TRUE(plan.targets.empty());
}

TEST(SrvOrderTest, LowerPriorityValueComesFirstAcrossBothServices) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({Record("tls.example.org.", 5223, 5)},
                                {Record("a.example.org.", 5222, 10), Record("b.example.org.", 5222, 1)}, random);
  ASSERT_EQ(plan.outcome, SrvPlan::Outcome::kTargets);
  std::vector<ServiceTarget> expected = {{"b.example.org", 5222, false},
                                         {"tls.example.org", 5223, true},
                                         {"a.example.org", 5222, false}};
  EXPECT_EQ(plan.targets, expected);
}

TEST(SrvOrderTest, WeightsShareTrafficWithinAPriority) {
  std::mt19937_64 random(42);
  std::map<std::string, int> first;
  const int rounds = 4000;
  for (int i = 0; i < rounds; ++i) {
    SrvPlan plan = PlanSrvTargets({}, {Record("light", 5222, 1, 10), Record("heavy", 5222, 1, 30),
                                       Record("later", 5222, 2, 1000)}, random);
    ASSERT_EQ(plan.targets.size(), 3u);
    EXPECT_EQ(plan.targets[2].host, "later");  // weight never beats priority
    ++first[plan.targets[0].host];
  }
  // Weight 30 of 40: about three quarters of the first picks.
  EXPECT_NEAR(first["heavy"] / static_cast<double>(rounds), 0.75, 0.04);
  EXPECT_NEAR(first["light"] / static_cast<double>(rounds), 0.25, 0.04);
}

TEST(SrvOrderTest, ZeroWeightRecordsStillGetTried) {
  std::mt19937_64 random(7);
  SrvPlan plan = PlanSrvTargets({}, {Record("zero", 5222, 1, 0), Record("some", 5222, 1, 5)}, random);
  ASSERT_EQ(plan.targets.size(), 2u);
  EXPECT_NE(plan.targets[0].host, plan.targets[1].host);
}

TEST(SrvOrderTest, LoneDotMeansServiceNotAvailable) {
  std::mt19937_64 random(1);
  EXPECT_EQ(PlanSrvTargets({}, {Record(".", 0, 0)}, random).outcome, SrvPlan::Outcome::kServiceUnavailable);
  EXPECT_EQ(PlanSrvTargets({Record("", 1, 0)}, {}, random).outcome, SrvPlan::Outcome::kServiceUnavailable);
  EXPECT_EQ(PlanSrvTargets({Record(".", 0, 0)}, {Record(".", 0, 0)}, random).outcome,
            SrvPlan::Outcome::kServiceUnavailable);
}

TEST(SrvOrderTest, DotForDirectTlsLeavesStartTlsRecordsInUse) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({Record(".", 0, 0)}, {Record("xmpp.example.org", 5222, 0)}, random);
  ASSERT_EQ(plan.outcome, SrvPlan::Outcome::kTargets);
  ASSERT_EQ(plan.targets.size(), 1u);
  EXPECT_FALSE(plan.targets[0].direct_tls);
}

TEST(SrvOrderTest, PortZeroAndBadNamesAreSkippedWithAReason) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({}, {Record("zero.example.org", 0, 0), Record("bad name!", 5222, 0),
                                     Record("good.example.org", 5222, 1)}, random);
  ASSERT_EQ(plan.outcome, SrvPlan::Outcome::kTargets);
  ASSERT_EQ(plan.targets.size(), 1u);
  EXPECT_EQ(plan.targets[0].host, "good.example.org");
  ASSERT_EQ(plan.rejected.size(), 2u);
  EXPECT_NE(plan.rejected[0].find("port 0"), std::string::npos) << plan.rejected[0];
  EXPECT_NE(plan.rejected[1].find("not a host name"), std::string::npos) << plan.rejected[1];
}

TEST(SrvOrderTest, OnlyUnusableRecordsGiveNoFallback) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({}, {Record("a.example.org", 0, 0), Record(std::string(300, 'a'), 5222, 0)}, random);
  EXPECT_EQ(plan.outcome, SrvPlan::Outcome::kNoUsableRecords);
  EXPECT_EQ(plan.rejected.size(), 2u);
}

TEST(SrvOrderTest, ThousandsOfRecordsGiveABoundedListOfTheBestPriorities) {
  std::mt19937_64 random(1);
  std::vector<SrvRecord> many;
  for (int i = 0; i < 5000; ++i) {
    many.push_back(Record("host" + std::to_string(i) + ".example.org", 5222, static_cast<uint16_t>(5000 - i), 1));
  }
  SrvLimits limits;
  SrvPlan plan = PlanSrvTargets({}, many, random, limits);
  ASSERT_EQ(plan.outcome, SrvPlan::Outcome::kTargets);
  ASSERT_EQ(plan.targets.size(), limits.max_targets);
  // The lowest priority values (the last records given) come first.
  EXPECT_EQ(plan.targets[0].host, "host4999.example.org");
  EXPECT_EQ(plan.targets[1].host, "host4998.example.org");
  ASSERT_FALSE(plan.rejected.empty());
  EXPECT_NE(plan.rejected[0].find("4744 _xmpp-client records beyond the first 256"), std::string::npos)
      << plan.rejected[0];
}

TEST(SrvOrderTest, DuplicateTargetsAreTriedOnceAndNamesNormalised) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({}, {Record("XMPP.Example.org.", 5222, 0), Record("xmpp.example.org", 5222, 0),
                                     Record("xmpp.example.org", 5222, 3)}, random);
  ASSERT_EQ(plan.targets.size(), 1u);
  EXPECT_EQ(plan.targets[0], (ServiceTarget{"xmpp.example.org", 5222, false}));
}

TEST(SrvOrderTest, SameHostAndPortOverBothServicesStaysTwoTargets) {
  std::mt19937_64 random(1);
  SrvPlan plan = PlanSrvTargets({Record("x.example.org", 5223, 0)}, {Record("x.example.org", 5223, 0)}, random);
  EXPECT_EQ(plan.targets.size(), 2u);
}

}  // namespace
}  // namespace timd::xmpp
