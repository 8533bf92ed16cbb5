#include "emulator/sqlapi/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace skyflow::emulator::sqlapi {
namespace {

TEST(AcceptsGzipTest, ReadsTheAcceptEncodingList) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5, br"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(AcceptsGzip("x-gzip2"));
}

// Inflated with zlib's own gzip reader, not the code under test.
std::string Gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

TEST(GzipCompressTest, WritesAGzipMemberThatInflatesBack) {
  std::string data;
  for (int i = 0; i < 10000; ++i)
    data += "[\"row " + std::to_string(i) + "\",null],";
  Result<std::string> compressed = GzipCompress(data);
  ASSERT_TRUE(compressed.ok()) << compressed.status().message();
  ASSERT_GE(compressed->size(), 2U);
  EXPECT_EQ(static_cast<unsigned char>((*compressed)[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>((*compressed)[1]), 0x8b);
  EXPECT_LT(compressed->size(), data.size() / 4);
  EXPECT_EQ(Gunzip(*compressed), data);
  EXPECT_EQ(Gunzip(*GzipCompress("")), "");
}

}  // namespace
}  // namespace skyflow::emulator::sqlapi
