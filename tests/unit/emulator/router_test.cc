#include "emulator/api/router.h"

#include <gtest/gtest.h>

namespace skyflow::emulator {
namespace {

using Kind = Router::Match::Kind;

TEST(RouterTest, MatchesLiteralsAndCapturesParameters) {
  Router router;
  router.Add("POST", "/v1/vaults/{}/detokenize", 1);
  router.Add("POST", "/v1/vaults/{}/{}", 2);
  router.Add("GET", "/v1/vaults/{}/{}", 3);

  Router::Match match = router.Find("POST", "/v1/vaults/v9/ssn");
  ASSERT_EQ(match.kind, Kind::kFound);
  EXPECT_EQ(match.route, 2);
  EXPECT_EQ(match.params[0], "v9");
  EXPECT_EQ(match.params[1], "ssn");

  match = router.Find("POST", "/v1/vaults/v9/detokenize");
  ASSERT_EQ(match.kind, Kind::kFound);
  EXPECT_EQ(match.route, 1);

  EXPECT_EQ(router.Find("GET", "/v1/vaults/v9/ssn").route, 3);
}

TEST(RouterTest, TellsMethodNotAllowedFromNotFound) {
  Router router;
  router.Add("POST", "/v1/vaults/{}/{}", 1);
  router.Add("GET", "/emulator/v1/stats", 2);

  Router::Match match = router.Find("DELETE", "/v1/vaults/a/b");
  EXPECT_EQ(match.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allowed, "POST");

  EXPECT_EQ(router.Find("POST", "/v1/vaults/a").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find("POST", "/v1/vaults/a/b/c").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find("POST", "/v1/vaults//b").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find("POST", "/v1/vaults/a/b/").kind, Kind::kNotFound);
  EXPECT_EQ(router.Find("GET", "/").kind, Kind::kNotFound);
}

}  // namespace
}  // namespace skyflow::emulator
