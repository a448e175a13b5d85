#!/usr/bin/env python3
"""Reference implementation of the worker's deterministic Gaussian noise, written from the published algorithms.

- SplitMix64 (Steele, Lea, Flood 2014) expands the 64-bit seed into the 256-bit state of
- xoshiro256** 1.0 (Blackman, Vigna 2018), whose jump function advances 2^128 outputs;
- uniforms in [0, 1) are the top 53 bits times 2^-53;
- normals come from the polar Box-Muller method (Marsaglia, Bray 1964);
- ln is computed from IEEE operations only: x = m * 2^e with m in [sqrt(1/2), sqrt(2)], ln m = 2 atanh((m-1)/(m+1)).

Python floats are IEEE doubles and + - * / and math.sqrt are correctly rounded, so this reproduces the C# bits.

    python3 noise.py            prints the reference values as JSON (committed as noise.json)
    python3 noise.py --verify   also checks the jump constants against 2^128 steps of the state transition over GF(2)
                                and compares ln with math.log
"""
import json
import math
import struct
import sys

MASK = (1 << 64) - 1
JUMP = [0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C]


def bits_to_double(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def double_to_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def to_float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def float32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


LN2_HIGH = bits_to_double(0x3FE62E42FEE00000)
LN2_LOW = bits_to_double(0x3DEA39EF35793C76)
SQRT2 = 1.4142135623730951
TERMS = 14


def portable_log(x):
    assert x > 0 and math.isfinite(x)
    bits = double_to_bits(x)
    offset = 0
    if bits >> 52 == 0:
        x *= 18014398509481984.0
        bits = double_to_bits(x)
        offset = -54
    e = ((bits >> 52) & 0x7FF) - 1023 + offset
    m = bits_to_double((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)
    if m > SQRT2:
        m *= 0.5
        e += 1
    f = m - 1.0
    s = f / (2.0 + f)
    s2 = s * s
    series = 1.0 / (2 * (TERMS - 1) + 1)
    for k in range(TERMS - 2, -1, -1):
        series = 1.0 / (2 * k + 1) + s2 * series
    log_m = 2.0 * s * series
    return float(e) * LN2_HIGH + (float(e) * LN2_LOW + log_m)


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro:
    def __init__(self, seed):
        state = seed
        self.s = []
        for _ in range(4):
            state, out = splitmix64(state)
            self.s.append(out)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_double(self):
        return (self.next() >> 11) * (1.0 / (1 << 53))

    def jump(self):
        t = [0, 0, 0, 0]
        for word in JUMP:
            for b in range(64):
                if word & (1 << b):
                    for i in range(4):
                        t[i] ^= self.s[i]
                self.next()
        self.s = t


class GaussianNoise:
    def __init__(self, seed, step=None):
        self.seed = seed
        self.gen = Xoshiro(seed)
        if step is not None:
            for _ in range(step + 1):
                self.gen.jump()
        self.spare = None

    def next_gaussian(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while True:
            u = 2.0 * self.gen.next_double() - 1.0
            v = 2.0 * self.gen.next_double() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                break
        factor = math.sqrt(-2.0 * portable_log(s) / s)
        self.spare = v * factor
        return u * factor

    def sample(self, count):
        """float32 values, as the C# Fill writes them."""
        return [to_float32(self.next_gaussian()) for _ in range(count)]


def verify():
    # The state transition is linear over GF(2). Build its 256x256 matrix (as 256 column bitmasks), raise it to
    # 2^128 by squaring, and check that it maps a state exactly where the published jump polynomial does.
    def step_state(v):
        g = Xoshiro(0)
        g.s = [(v >> (64 * i)) & MASK for i in range(4)]
        g.next()
        return sum(g.s[i] << (64 * i) for i in range(4))

    def apply(columns, v):
        out = 0
        i = 0
        while v:
            if v & 1:
                out ^= columns[i]
            v >>= 1
            i += 1
        return out

    columns = [step_state(1 << i) for i in range(256)]
    for _ in range(128):
        columns = [apply(columns, c) for c in columns]
    g = Xoshiro(12345)
    start = sum(g.s[i] << (64 * i) for i in range(4))
    g.jump()
    jumped = sum(g.s[i] << (64 * i) for i in range(4))
    assert apply(columns, start) == jumped, "the jump constants do not advance 2^128 steps"
    worst = 0.0
    for i in range(1, 200001):
        x = i / 200001.0
        exact = math.log(x)
        diff = abs(portable_log(x) - exact) / max(abs(exact), 1e-300)
        worst = max(worst, diff)
    assert worst < 1e-15, worst
    print(f"jump = 2^128 steps: ok; worst relative ln error on (0,1): {worst:.3g}", file=sys.stderr)


def main():
    if "--verify" in sys.argv:
        verify()
    seeds = [0, 42, 0xFFFFFFFFFFFFFFFF]
    cases = []
    for seed in seeds:
        gen = Xoshiro(seed)
        uint64 = [f"{gen.next():016x}" for _ in range(4)]
        noise = GaussianNoise(seed)
        normals = noise.sample(9)
        step0 = GaussianNoise(seed, 0).sample(4)
        step3 = GaussianNoise(seed, 3).sample(4)
        cases.append({
            "seed": str(seed),
            "uint64": uint64,
            "normals_float32_bits": [f"{float32_bits(x):08x}" for x in normals],
            "normals": normals,
            "step0_float32_bits": [f"{float32_bits(x):08x}" for x in step0],
            "step3_float32_bits": [f"{float32_bits(x):08x}" for x in step3],
        })
    logs = [{"x": x, "ln_bits": f"{double_to_bits(portable_log(x)):016x}"}
            for x in [1e-300, 5e-324, 0.1, 0.5, 0.7071067811865476, 0.9999999999999999, 1.0, 2.0, 10.0, 1e300]]
    print(json.dumps({"cases": cases, "log": logs}, indent=2))


if __name__ == "__main__":
    main()
