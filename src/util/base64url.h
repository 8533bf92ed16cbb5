// Base64url (RFC 4648 section 5) without padding, the encoding of every part
// of a JSON Web Token (RFC 7515 section 2).
//
// Decoding is strict, because a JWT's bytes are signed: padding, characters
// outside the URL-safe alphabet, a length that no unpadded encoding has
// (4k+1) and non-zero bits left over after the last byte are all refused, so
// that exactly one text decodes to given bytes. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace skyflow {

std::string Base64UrlEncode(std::string_view bytes);

// kParseError naming the offending position; the text itself is never quoted
// (it may be part of a credential).
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace skyflow
