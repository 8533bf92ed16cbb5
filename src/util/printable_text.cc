#include "util/printable_text.h"

#include "util/utf8.h"

namespace skyflow {

std::string PrintablePrefix(std::string_view body, size_t limit) {
  // A cut inside a UTF-8 character would leave half of it, and the message
  // would not be UTF-8 (the rejects file's JSON must be).
  std::string text;
  for (char c : body.substr(0, Utf8CutPoint(body, limit))) {
    text.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  }
  if (body.size() > limit) text.append("...");
  return text;
}

}  // namespace skyflow
