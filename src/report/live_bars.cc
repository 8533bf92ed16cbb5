#include "report/live_bars.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/run_summary.h"
#include "report/terminal_text.h"

namespace skyflow {
namespace {

constexpr char kGreen[] = "\x1b[32m";
constexpr char kYellow[] = "\x1b[33m";
constexpr char kRed[] = "\x1b[31m";
constexpr size_t kMinBar = 10;
constexpr size_t kMaxBar = 40;

std::string Painted(const std::string& text, const char* colour, bool color) {
  return color ? colour + text + kSgrReset : text;
}

std::string Rate(double per_second) {
  return GroupDigits(static_cast<uint64_t>(std::llround(std::max(0.0, per_second)))) + "/s";
}

}  // namespace

std::string FormatEta(std::optional<double> seconds) {
  if (!seconds || !std::isfinite(*seconds) || *seconds < 0) return "--";
  const auto total = static_cast<uint64_t>(std::llround(*seconds));
  char buffer[32];
  if (total < 60) {
    std::snprintf(buffer, sizeof(buffer), "%llus", static_cast<unsigned long long>(total));
  } else if (total < 3600) {
    std::snprintf(buffer, sizeof(buffer), "%llum%02llus",
                  static_cast<unsigned long long>(total / 60),
                  static_cast<unsigned long long>(total % 60));
  } else if (total < 86400) {
    std::snprintf(buffer, sizeof(buffer), "%lluh%02llum",
                  static_cast<unsigned long long>(total / 3600),
                  static_cast<unsigned long long>(total / 60 % 60));
  } else {
    std::snprintf(buffer, sizeof(buffer), "%llud%02lluh",
                  static_cast<unsigned long long>(total / 86400),
                  static_cast<unsigned long long>(total / 3600 % 24));
  }
  return buffer;
}

std::string ProgressBar(double fraction, size_t width) {
  const double clamped = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  const auto filled = static_cast<size_t>(std::floor(clamped * static_cast<double>(width)));
  return std::string(filled, '#') + std::string(width - filled, '-');
}

void RateWindow::Add(double seconds, uint64_t count) {
  samples_.emplace_back(seconds, count);
  // Keep one sample at or before the window's start, so the window is full.
  while (samples_.size() > 2 && samples_[1].first <= seconds - window_)
    samples_.pop_front();
}

bool RateWindow::ready() const {
  return samples_.size() >= 2 && samples_.back().first > samples_.front().first;
}

double RateWindow::Rate() const {
  if (samples_.size() < 2) return 0;
  const auto& [first_time, first_count] = samples_.front();
  const auto& [last_time, last_count] = samples_.back();
  if (last_time <= first_time || last_count < first_count) return 0;
  return static_cast<double>(last_count - first_count) / (last_time - first_time);
}

std::string FormatVaultBar(const VaultBarFigures& f, size_t width, bool color) {
  std::string name = f.name;
  if (name.size() < f.name_width) name.append(f.name_width - name.size(), ' ');

  std::string counts;
  std::optional<double> eta;
  double fraction = 0;
  const bool known = f.total.kind != TotalKind::kUnknown;
  if (known) {
    fraction = f.total.rows == 0 ? 1.0 : static_cast<double>(f.done) / f.total.rows;
    counts = GroupDigits(f.done) + "/" + (f.total.kind == TotalKind::kEstimated ? "~" : "") +
             GroupDigits(f.total.rows);
    const double rate = f.recent_rate > 0 ? f.recent_rate : f.average_rate;
    if (f.done >= f.total.rows) {
      eta = 0.0;
    } else if (rate > 0) {
      eta = static_cast<double>(f.total.rows - f.done) / rate;
    }
  } else {
    counts = GroupDigits(f.done) + " rows";
  }
  char percent[16] = "";
  if (known) std::snprintf(percent, sizeof(percent), "%5.1f%%", 100.0 * std::min(fraction, 1.0));

  std::string tail = std::string("  ") + counts + "  " + Rate(f.recent_rate) + " avg " +
                     Rate(f.average_rate) + "  ETA " + FormatEta(eta) + "  in flight " +
                     std::to_string(f.in_flight) + "/" + std::to_string(f.limit) + "  retries " +
                     GroupDigits(f.retries) + "  " +
                     Painted("429s " + GroupDigits(f.throttled), kYellow, color && f.throttled) +
                     "  " + Painted("failed " + GroupDigits(f.failed), kRed, color && f.failed);
  // The bar gets what is left of the line, within bounds.
  const size_t fixed =
      VisibleWidth(name) + 3 /* " [" "]" */ + VisibleWidth(percent) + 1 + VisibleWidth(tail);
  const size_t bar_width = std::clamp(width > fixed ? width - fixed : 0, kMinBar, kMaxBar);
  std::string bar;
  if (known) {
    const std::string cells = ProgressBar(fraction, bar_width);
    const size_t filled = cells.find('-') == std::string::npos ? cells.size() : cells.find('-');
    bar = Painted(cells.substr(0, filled), kGreen, color && filled > 0) + cells.substr(filled);
  } else {
    // An honest spinner: something moves, nothing claims a fraction.
    std::string cells(bar_width, ' ');
    const size_t span = bar_width > 3 ? bar_width - 3 : 1;
    const size_t cycle = 2 * span;
    const size_t step = f.spinner_frame % cycle;
    const size_t at = step < span ? step : cycle - step;
    cells.replace(std::min(at, bar_width - 3), 3, "<=>");
    bar = cells;
  }
  return TruncateToWidth(name + " [" + bar + "] " + percent + tail, width);
}

std::vector<std::string> LiveBars::Lines(double seconds, const std::vector<VaultProgress>& vaults,
                                         size_t width, bool color) {
  if (windows_.size() < vaults.size()) windows_.resize(vaults.size());
  size_t name_width = 0;
  for (const VaultProgress& vault : vaults)
    name_width = std::max(name_width, vault.name.size());
  std::vector<std::string> lines;
  for (size_t i = 0; i < vaults.size(); ++i) {
    const VaultProgress& vault = vaults[i];
    windows_[i].Add(seconds, vault.done());
    VaultBarFigures figures;
    figures.name = vault.name;
    figures.name_width = name_width;
    figures.done = vault.done();
    figures.total = EstimateTotal(vault, max_rows_);
    figures.average_rate = seconds > 0 ? static_cast<double>(vault.done()) / seconds : 0;
    // Until the window has two samples, the average is the best recent rate.
    figures.recent_rate = windows_[i].ready() ? windows_[i].Rate() : figures.average_rate;
    figures.in_flight = vault.in_flight;
    figures.limit = vault.limit;
    figures.retries = vault.retries;
    figures.throttled = vault.throttled;
    figures.failed = vault.failed + vault.conflicts;
    figures.spinner_frame = frame_;
    lines.push_back(FormatVaultBar(figures, width, color));
  }
  ++frame_;
  return lines;
}

}  // namespace skyflow
