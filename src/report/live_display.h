// LiveDisplay: a block of lines at the bottom of a terminal, redrawn in
// place (cursor up over the block, clear to the end of the screen, write the
// new lines): no flicker, and nothing above the block is touched. Anything
// else printed while the block is shown goes through PrintAbove, which puts
// it above the block, so log lines and bars never interleave.
//
// Lines are cut to the terminal's width (one column short, so that no
// terminal wraps them). On SIGWINCH the width is read again; the block drawn
// at the old width is erased counting the rows its lines take at the new
// one (terminals that reflow wrap them).
//
// Only for a terminal (see StderrIsTerminal()); colour only when
// ColourWanted() (a terminal, and NO_COLOR not set). Thread-safe: a mutex
// orders Update, PrintAbove and Finish. One LiveDisplay at a time (it owns
// the SIGWINCH handler while it lives, and restores the previous one).
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow {

bool StderrIsTerminal();
// A terminal on `fd` and no NO_COLOR in the environment (https://no-color.org).
bool ColourWanted(int fd);

// The bytes that replace a block taking `rows_drawn` terminal rows (the
// cursor just below it) with `lines`, each cut to `width` - 1 columns.
// Pure, for tests.
std::string RedrawSequence(size_t rows_drawn, const std::vector<std::string>& lines, size_t width);

class LiveDisplay {
 public:
  explicit LiveDisplay(int fd);
  ~LiveDisplay();
  LiveDisplay(const LiveDisplay&) = delete;
  LiveDisplay& operator=(const LiveDisplay&) = delete;

  // The terminal's width in columns (80 when it cannot be read).
  size_t width();

  // Replaces the block with `lines`.
  void Update(std::vector<std::string> lines);
  // Writes `message` (a newline is added when missing) above the block.
  void PrintAbove(std::string_view message);
  // Something wrote below the block behind our back (a signal handler):
  // leave the block as it is and draw the next one below what was written.
  void Detach();
  // Draws the block one last time and leaves it on the screen; later
  // calls do nothing.
  void Finish();

 private:
  void RefreshWidthIfResized();
  std::string Erase() const;
  void Draw(const std::string& prefix);

  const int fd_;
  std::mutex mutex_;
  size_t width_ = 80;
  std::vector<std::string> lines_;
  std::vector<size_t> drawn_widths_;  // visible width of each line on screen
  bool finished_ = false;
};

}  // namespace skyflow
