// MD5 message digest, written from RFC 1321. Used to identify ROM images.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace eo::ale {

// 32 lowercase hex digits of the MD5 of `size` bytes at `data`.
std::string md5Hex(const uint8_t* data, size_t size);

}  // namespace eo::ale
