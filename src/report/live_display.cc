#include "report/live_display.h"

#include <signal.h>  // NOLINT(modernize-deprecated-headers): sigaction is POSIX
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "report/terminal_text.h"
#include "util/write_all.h"

namespace skyflow {
namespace {

std::atomic<bool> resized{false};
struct sigaction previous_winch {};

void OnWindowChange(int) {
  resized.store(true);
}

size_t TerminalWidth(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Cursor up `rows` rows to column 0, then clear to the end of the screen.
std::string EraseRows(size_t rows) {
  if (rows == 0) return "\r";
  return "\x1b[" + std::to_string(rows) + "A\r\x1b[J";
}

// The lines, each cut to `width` - 1 columns and ended by a newline; the
// visible width of each goes to `widths` when given.
std::string BlockText(const std::vector<std::string>& lines, size_t width,
                      std::vector<size_t>* widths) {
  std::string out;
  for (const std::string& line : lines) {
    const std::string cut = TruncateToWidth(line, width > 1 ? width - 1 : 1);
    if (widths != nullptr) widths->push_back(VisibleWidth(cut));
    out += cut;
    out += '\n';
  }
  return out;
}

}  // namespace

bool StderrIsTerminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

bool ColourWanted(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(fd) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

std::string RedrawSequence(size_t rows_drawn, const std::vector<std::string>& lines, size_t width) {
  return EraseRows(rows_drawn) + BlockText(lines, width, nullptr);
}

LiveDisplay::LiveDisplay(int fd) : fd_(fd), width_(TerminalWidth(fd)) {
  struct sigaction action {};
  action.sa_handler = OnWindowChange;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGWINCH, &action, &previous_winch);
}

LiveDisplay::~LiveDisplay() {
  Finish();
  sigaction(SIGWINCH, &previous_winch, nullptr);
}

size_t LiveDisplay::width() {
  std::lock_guard lock(mutex_);
  RefreshWidthIfResized();
  return width_;
}

void LiveDisplay::RefreshWidthIfResized() {
  if (resized.exchange(false)) width_ = TerminalWidth(fd_);
}

std::string LiveDisplay::Erase() const {
  return drawn_widths_.empty() ? "" : EraseRows(RowsOccupied(drawn_widths_, width_));
}

void LiveDisplay::Draw(const std::string& prefix) {
  drawn_widths_.clear();
  const std::string out = prefix + BlockText(lines_, width_, &drawn_widths_);
  // A terminal that went away is no reason to stop the load.
  [[maybe_unused]] Status written = WriteAll(fd_, out, "the terminal");
}

void LiveDisplay::Update(std::vector<std::string> lines) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  RefreshWidthIfResized();
  lines_ = std::move(lines);
  Draw(Erase());
}

void LiveDisplay::PrintAbove(std::string_view message) {
  std::lock_guard lock(mutex_);
  RefreshWidthIfResized();
  std::string out = finished_ ? "" : Erase();
  out.append(message);
  if (message.empty() || message.back() != '\n') out += '\n';
  if (finished_) {
    [[maybe_unused]] Status written = WriteAll(fd_, out, "the terminal");
    return;
  }
  Draw(out);
}

void LiveDisplay::Detach() {
  std::lock_guard lock(mutex_);
  drawn_widths_.clear();
}

void LiveDisplay::Finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (lines_.empty()) return;
  RefreshWidthIfResized();
  Draw(Erase());
}

}  // namespace skyflow
