// Base64url (RFC 4648 section 5) without padding, the encoding of every part
// of a JSON Web Token (RFC 7515 section 2); and the standard padded base64
// (RFC 4648 section 4) for the places that use it (a public key fingerprint,
// "SHA256:" + base64 of a digest, as Snowflake and OpenSSH print it).
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

// Standard alphabet (A-Z a-z 0-9 + /), padded with '=' to a multiple of 4.
std::string Base64Encode(std::string_view bytes);

// kParseError naming the offending position; the text itself is never quoted
// (it may be part of a credential).
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace skyflow
