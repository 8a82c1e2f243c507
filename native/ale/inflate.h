// gzip (RFC 1952) container + DEFLATE (RFC 1951) decoder, written from the RFCs, for gzip-compressed
// ROM files. Throws std::runtime_error with a clear message on malformed input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace eo::ale {

inline bool isGzip(const uint8_t* data, size_t size) { return size >= 2 && data[0] == 0x1F && data[1] == 0x8B; }

// Decompresses a complete gzip member; output larger than `maxOut` bytes is an error.
std::vector<uint8_t> gunzip(const uint8_t* data, size_t size, size_t maxOut);

}  // namespace eo::ale
