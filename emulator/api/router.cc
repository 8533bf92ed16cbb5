#include "emulator/api/router.h"

namespace skyflow::emulator {
namespace {

constexpr std::string_view kParam = "{}";
constexpr size_t kMaxSegments = 16;

// Splits "/a/b/c" into {"a","b","c"}; false for more than kMaxSegments.
bool SplitPath(std::string_view path, std::array<std::string_view, kMaxSegments>* segments,
               size_t* count) {
  *count = 0;
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    if (*count == kMaxSegments) return false;
    const size_t slash = path.find('/');
    (*segments)[(*count)++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void Router::Add(std::string_view method, std::string_view pattern, int route) {
  std::array<std::string_view, kMaxSegments> segments;
  size_t count = 0;
  SplitPath(pattern, &segments, &count);
  Route entry{std::string(method), {}, route};
  for (size_t i = 0; i < count; ++i)
    entry.segments.emplace_back(segments[i]);
  routes_.push_back(std::move(entry));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  std::array<std::string_view, kMaxSegments> segments;
  size_t count = 0;
  if (!SplitPath(path, &segments, &count)) return match;
  for (const Route& route : routes_) {
    if (route.segments.size() != count) continue;
    std::array<std::string_view, kMaxParams> params{};
    size_t param_count = 0;
    bool matches = true;
    for (size_t i = 0; i < count && matches; ++i) {
      if (route.segments[i] == kParam) {
        matches = !segments[i].empty() && param_count < kMaxParams;
        if (matches) params[param_count++] = segments[i];
      } else {
        matches = route.segments[i] == segments[i];
      }
    }
    if (!matches) continue;
    if (route.method == method) {
      match.kind = Match::Kind::kFound;
      match.route = route.id;
      match.params = params;
      match.allowed.clear();
      return match;
    }
    match.kind = Match::Kind::kMethodNotAllowed;
    if (!match.allowed.empty()) match.allowed += ", ";
    match.allowed += route.method;
  }
  return match;
}

}  // namespace skyflow::emulator
