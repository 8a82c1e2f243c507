// Quoting user input (paths, setting keys and values, bytes read from a state blob) for error
// messages: the result is valid UTF-8, has no control characters and no NUL, so a message is never
// cut short or garbled on its way to JavaScript or a terminal.
#pragma once
#include <string>

namespace eo::ale {

// 'text' in single quotes. Printable ASCII and well-formed UTF-8 sequences (other than C1 controls)
// are kept; \ and ' are backslash-escaped; \n \r \t are written as such; every other byte
// (control characters, NUL, DEL, bytes outside a well-formed UTF-8 sequence) becomes \xNN. Input
// longer than maxBytes is cut there and marked with "...".
std::string quoted(const std::string& text, size_t maxBytes = 256);

}  // namespace eo::ale
