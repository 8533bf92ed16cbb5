// Router: maps a method and a path to a route, with `{}` path segments
// captured as parameters ("/v1/vaults/{}/{}" captures vault ID and table).
//
// It tells apart "no such path" (404) from "path exists, not with this
// method" (405, with the methods that would do for the Allow header), which
// the API's error responses need. Routes are tried in the order added, so a
// literal route added before a pattern wins over it (the later detokenize
// endpoint, "/v1/vaults/{}/detokenize", before the per-table one).
// Built once before the server starts; Match is const and thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace skyflow::emulator {

class Router {
 public:
  static constexpr size_t kMaxParams = 4;

  struct Match {
    enum class Kind { kFound, kMethodNotAllowed, kNotFound };
    Kind kind = Kind::kNotFound;
    int route = -1;  // the id given to Add, when found
    std::array<std::string_view, kMaxParams> params{};
    std::string allowed;  // "GET, POST" when kMethodNotAllowed
  };

  // `pattern` is a path whose segments are literals or "{}".
  void Add(std::string_view method, std::string_view pattern, int route);

  Match Find(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{}" for a parameter
    int id;
  };
  std::vector<Route> routes_;
};

}  // namespace skyflow::emulator
