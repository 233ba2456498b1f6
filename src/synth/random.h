// A small, fast, splittable pseudo-random generator (SplitMix64) for synthetic data.
// Every household draws from its own stream, derived from (seed, index, stream), so a
// household's data does not depend on the order or the thread that generates it.
// Not thread-safe; cheap to copy.
#ifndef GETIHU_SYNTH_RANDOM_H_
#define GETIHU_SYNTH_RANDOM_H_

#include <cmath>
#include <cstdint>

namespace getihu::synth {

inline uint64_t Mix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t index, uint64_t stream)
      : state_(Mix64(Mix64(seed ^ (stream * 0xD1B54A32D192ED03ULL)) ^ index)) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix64(state_);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>(Uniform() * static_cast<double>(n)); }
  // Uniform integer in [lo, hi].
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, one value per call).
  double Normal() {
    double u1 = Uniform(), u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Poisson for small means (Knuth).
  int Poisson(double mean) {
    double limit = std::exp(-mean), p = 1.0;
    int k = 0;
    do {
      ++k;
      p *= Uniform();
    } while (p > limit && k < 1000);
    return k - 1;
  }

 private:
  uint64_t state_;
};

}  // namespace getihu::synth

#endif  // GETIHU_SYNTH_RANDOM_H_
