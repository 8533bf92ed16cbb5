#include "util/host_port.h"

#include <gtest/gtest.h>

namespace skyflow {
namespace {

TEST(HostPortTest, HostsAndPorts) {
  Result<HostPort> v4 = ParseHostPort("127.0.0.1:9102");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9102);
  Result<HostPort> any = ParseHostPort("localhost:0");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->host, "localhost");
  EXPECT_EQ(any->port, 0);
  Result<HostPort> v6 = ParseHostPort("[::1]:65535");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
  EXPECT_EQ(FormatHostPort(*v6), "[::1]:65535");
  EXPECT_EQ(FormatHostPort(*v4), "127.0.0.1:9102");
}

TEST(HostPortTest, WhatIsRefusedAndWhy) {
  for (const char* text :
       {"", "9102", ":9102", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+5",
        "127.0.0.1:80x", "::1:80", "[::1]80", "[::1]", "[]:80"}) {
    Result<HostPort> parsed = ParseHostPort(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("HOST:PORT"), std::string::npos);
  }
}

}  // namespace
}  // namespace skyflow
