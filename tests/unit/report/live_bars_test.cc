#include "report/live_bars.h"

#include <gtest/gtest.h>

#include <string>

#include "report/terminal_text.h"

namespace skyflow {
namespace {

TEST(LiveBarsTest, FormatsEtaCompactly) {
  EXPECT_EQ(FormatEta(std::nullopt), "--");
  EXPECT_EQ(FormatEta(0.0), "0s");
  EXPECT_EQ(FormatEta(42.4), "42s");
  EXPECT_EQ(FormatEta(151), "2m31s");
  EXPECT_EQ(FormatEta(3600 + 2 * 60 + 9), "1h02m");
  EXPECT_EQ(FormatEta(3 * 86400 + 4 * 3600 + 59), "3d04h");
  EXPECT_EQ(FormatEta(-1), "--");
}

TEST(LiveBarsTest, BarFillsInProportion) {
  EXPECT_EQ(ProgressBar(0.0, 10), "----------");
  EXPECT_EQ(ProgressBar(0.45, 10), "####------");
  EXPECT_EQ(ProgressBar(1.0, 10), "##########");
  EXPECT_EQ(ProgressBar(1.7, 4), "####");
}

TEST(LiveBarsTest, RecentRateIsOverTheWindow) {
  RateWindow window(5.0);
  EXPECT_EQ(window.Rate(), 0.0);
  window.Add(0, 0);
  window.Add(1, 1000);  // a burst at the start
  for (int second = 2; second <= 10; ++second)
    window.Add(second, 1000 + (second - 1) * 100);
  // The window holds seconds 5 to 10: 100 rows a second.
  EXPECT_DOUBLE_EQ(window.Rate(), 100.0);
}

VaultBarFigures Figures() {
  VaultBarFigures figures;
  figures.name = "NAME";
  figures.name_width = 4;
  figures.done = 450;
  figures.total = {TotalKind::kEstimated, 1000};
  figures.recent_rate = 50;
  figures.average_rate = 45;
  figures.in_flight = 28;
  figures.limit = 32;
  figures.retries = 12;
  figures.throttled = 3;
  return figures;
}

TEST(LiveBarsTest, LineAtAWideTerminal) {
  const std::string line = FormatVaultBar(Figures(), 120, false);
  // Fixed parts: 4 + 2 + 1 + 1 + 6 (" 45.0%") + 83 (the tail) = 97; the bar
  // takes the other 23 columns (10 to 40), 45% of them filled.
  EXPECT_EQ(line,
            "NAME [" + std::string(10, '#') + std::string(13, '-') +
                "]  45.0%  450/~1,000  50/s avg 45/s  ETA 11s  in flight 28/32  retries 12  429s "
                "3  failed 0");
  EXPECT_EQ(VisibleWidth(line), 120u);
}

TEST(LiveBarsTest, LineAtANarrowTerminalIsCutToItsWidth) {
  const std::string line = FormatVaultBar(Figures(), 40, false);
  EXPECT_EQ(line, "NAME [####------]  45.0%  450/~1,000  50");
  EXPECT_EQ(VisibleWidth(line), 40u);
}

TEST(LiveBarsTest, ColourDoesNotCountTowardsTheWidth) {
  VaultBarFigures figures = Figures();
  figures.failed = 2;
  const std::string line = FormatVaultBar(figures, 200, true);
  EXPECT_NE(line.find("\x1b[32m####"), std::string::npos) << line;
  EXPECT_NE(line.find("\x1b[33m429s 3\x1b[0m"), std::string::npos) << line;
  EXPECT_NE(line.find("\x1b[31mfailed 2\x1b[0m"), std::string::npos) << line;
  EXPECT_EQ(VisibleWidth(line), VisibleWidth(FormatVaultBar(figures, 200, false)));
}

TEST(LiveBarsTest, UnknownTotalShowsASpinnerAndNoEta) {
  VaultBarFigures figures = Figures();
  figures.total = {};
  const std::string first = FormatVaultBar(figures, 100, false);
  EXPECT_NE(first.find("[<=>"), std::string::npos) << first;
  EXPECT_NE(first.find("450 rows"), std::string::npos) << first;
  EXPECT_NE(first.find("ETA --"), std::string::npos) << first;
  EXPECT_EQ(first.find('%'), std::string::npos) << first;
  figures.spinner_frame = 2;
  EXPECT_NE(FormatVaultBar(figures, 100, false).find("[  <=>"), std::string::npos);
}

TEST(LiveBarsTest, LinesLineUpTheVaultNames) {
  LiveBars bars(0);
  VaultProgress name;
  name.name = "NAME";
  VaultProgress id;
  id.name = "ID";
  const auto lines = bars.Lines(1.0, {name, id}, 100, false);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].rfind("NAME [", 0), 0u);
  EXPECT_EQ(lines[1].rfind("ID   [", 0), 0u);
}

}  // namespace
}  // namespace skyflow
