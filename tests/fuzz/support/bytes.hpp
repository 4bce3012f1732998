// Reads a fuzz input front to back: every harness decodes its input with this, so seed files can be written by
// tests/fuzz/make-corpus.py in the same order (libFuzzer's FuzzedDataProvider reads integers from the back, which
// makes hand-made seeds awkward). Reading past the end yields zeros and empty strings, never an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace fwfuzz {

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const { return pos_ >= size_; }
    std::size_t remaining() const { return empty() ? 0 : size_ - pos_; }

    std::uint8_t u8() { return empty() ? 0 : data_[pos_++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(u16() | (static_cast<std::uint32_t>(u16()) << 16)); }
    std::uint64_t u64() { return u32() | (static_cast<std::uint64_t>(u32()) << 32); }
    double f64() {
        const std::uint64_t bits = u64();
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    bool flag() { return (u8() & 1) != 0; }
    // An index below n (n <= 256 for an even spread); 0 when n is 0.
    std::size_t below(std::size_t n) { return n == 0 ? 0 : u8() % n; }

    // A u8 length (at most `max`), then that many bytes.
    std::string str(std::size_t max = 255) { return take(u8() % (max + 1)); }
    // A u16 length (at most `max`), then that many bytes.
    std::string long_str(std::size_t max) { return take(u16() % (max + 1)); }
    std::string rest() { return take(remaining()); }

    template <typename T, std::size_t N>
    const T& pick(const T (&table)[N]) {
        return table[below(N)];
    }

private:
    std::string take(std::size_t n) {
        if (n > remaining()) n = remaining();
        std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
        pos_ += n;
        return out;
    }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

}  // namespace fwfuzz
