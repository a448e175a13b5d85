#!/usr/bin/env python3
"""Reference values for the worker's schedulers, from the published formulas in plain Python (no numpy, no torch).

Sources, per scheduler:
- betas and alphas_cumprod: Ho et al. 2020 (DDPM); "scaled_linear" is the latent-diffusion schedule
  beta_t = linspace(sqrt(beta_start), sqrt(beta_end), T)^2 (Rombach et al. 2022).
- timestep spacings "leading", "trailing", "linspace": Lin et al. 2023 ("Common diffusion noise schedules and sample
  steps are flawed"), table 2, with numpy's linspace/arange/round (half to even) as diffusers applies them.
- euler: Karras et al. 2022 (EDM), algorithm 2 without churn, sigma = sqrt((1 - abar)/abar), sigma interpolated
  linearly in t; Karras sigmas eq. 5 with rho = 7; timesteps of Karras sigmas by log-linear interpolation.
- euler-ancestral: the same ODE step to sigma_down plus fresh noise of sigma_up (k-diffusion's get_ancestral_step, eta 1).
- ddim: Song et al. 2021 (DDIM) eq. 12 with eta = 0.
- lcm: Luo et al. 2023 (Latent Consistency Models), the skipping-step schedule and boundary scalings
  c_skip = sd^2/((10t)^2 + sd^2), c_out = 10t/sqrt((10t)^2 + sd^2), sd = 0.5, re-noising between steps.
- flow-match-euler: rectified flow (Liu et al. 2022; Esser et al. 2024), Flux's resolution-dependent shift
  mu = linear in the image sequence length, sigma' = e^mu / (e^mu + (1/sigma - 1)).

The noise of the stochastic steps comes from noise.py (GaussianNoise(seed).for_step(step)), tested on its own.

    python3 schedulers.py > schedulers.json
"""
import json
import math
import struct

from noise import GaussianNoise


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def np_linspace(start, stop, num):
    if num == 1:
        return [float(start)]
    step = (stop - start) / (num - 1)
    values = [i * step + start for i in range(num)]
    values[-1] = float(stop)
    return values


def np_round(x):
    # numpy rounds halves to even, as Python's round does.
    return float(round(x))


# ---------------------------------------------------------------- noise schedule

def alphas_cumprod(cfg):
    T = cfg.get("num_train_timesteps", 1000)
    schedule = cfg.get("beta_schedule", "linear")
    b0, b1 = cfg.get("beta_start", 0.0001), cfg.get("beta_end", 0.02)
    if schedule == "linear":
        betas = np_linspace(b0, b1, T)
    elif schedule == "scaled_linear":
        betas = [b * b for b in np_linspace(math.sqrt(b0), math.sqrt(b1), T)]
    else:
        raise ValueError(schedule)
    out, prod = [], 1.0
    for beta in betas:
        prod *= 1.0 - beta
        out.append(prod)
    return out


def spaced(cfg, steps, spacing, linspace_kind):
    T = cfg.get("num_train_timesteps", 1000)
    offset = cfg.get("steps_offset", 0)
    if spacing == "leading":
        ratio = T // steps
        return [float(i * ratio + offset) for i in range(steps)][::-1]
    if spacing == "trailing":
        ratio = T / steps
        delta = (T + -ratio) - T
        return [np_round(T + i * delta) - 1.0 for i in range(steps)]
    values = np_linspace(0.0, T - 1.0, steps)[::-1]
    return [np_round(v) if linspace_kind == "int" else f32(v) for v in values]


def interp(x, table):
    if x <= 0:
        return table[0]
    if x >= len(table) - 1:
        return table[-1]
    j = int(math.floor(x))
    return (table[j + 1] - table[j]) * (x - j) + table[j]


def x0_from(prediction, x, out, sigma=None, abar=None):
    if sigma is not None:  # Euler parametrisation x = x0 + sigma * eps
        if prediction == "epsilon":
            return x - sigma * out
        if prediction == "v_prediction":
            return out * (-sigma / math.sqrt(sigma ** 2 + 1)) + x / (sigma ** 2 + 1)
        return out
    a, b = math.sqrt(abar), math.sqrt(1 - abar)  # DDPM parametrisation x = sqrt(abar) x0 + sqrt(1 - abar) eps
    if prediction == "epsilon":
        return (x - b * out) / a
    if prediction == "v_prediction":
        return a * x - b * out
    return out


# ---------------------------------------------------------------- schedulers

class Euler:
    def __init__(self, cfg, steps, ancestral=False):
        self.pred = cfg.get("prediction_type", "epsilon")
        self.ancestral = ancestral
        spacing = cfg.get("timestep_spacing") or "linspace"
        abar = alphas_cumprod(cfg)
        train_sigmas = [math.sqrt((1 - a) / a) for a in abar]
        ts = spaced(cfg, steps, spacing, "float32")
        sig = [interp(t, train_sigmas) for t in ts]
        if cfg.get("use_karras_sigmas") and not ancestral:
            rho = 7.0
            lo, hi = sig[-1] ** (1 / rho), sig[0] ** (1 / rho)
            sig = [(hi + r * (lo - hi)) ** rho for r in np_linspace(0.0, 1.0, steps)]
            logs = [math.log(s) for s in train_sigmas]
            ts = [self.sigma_to_t(s, logs) for s in sig]
        self.timesteps = ts
        self.sigmas = sig + [0.0]
        smax = max(self.sigmas)
        self.init_noise_sigma = math.sqrt(smax ** 2 + 1) if spacing == "leading" else smax
        self.scales = [1 / math.sqrt(s ** 2 + 1) for s in self.sigmas[:-1]]

    @staticmethod
    def sigma_to_t(sigma, logs):
        ls = math.log(max(sigma, 1e-10))
        below = [i for i, l in enumerate(logs) if l <= ls]
        low = min(below[-1] if below else 0, len(logs) - 2)
        w = (logs[low] - ls) / (logs[low] - logs[low + 1])
        w = min(max(w, 0.0), 1.0)
        return (1 - w) * low + w * (low + 1)

    def step(self, out, i, x, noise):
        s, s_next = self.sigmas[i], self.sigmas[i + 1]
        if self.ancestral:
            s_up = math.sqrt(s_next ** 2 * (s ** 2 - s_next ** 2) / s ** 2)
            s_to = math.sqrt(s_next ** 2 - s_up ** 2)
        else:
            s_up, s_to = 0.0, s_next
        z = noise.sample(len(x)) if s_up > 0 else [0.0] * len(x)
        res = []
        for xi, oi, zi in zip(x, out, z):
            x0 = x0_from(self.pred, xi, oi, sigma=s)
            d = (xi - x0) / s
            res.append(xi + d * (s_to - s) + zi * s_up)
        return res


class Ddim:
    def __init__(self, cfg, steps):
        self.pred = cfg.get("prediction_type", "epsilon")
        self.clip = cfg.get("clip_sample", True)
        self.clip_range = cfg.get("clip_sample_range", 1.0)
        self.abar = alphas_cumprod(cfg)
        self.final = 1.0 if cfg.get("set_alpha_to_one", True) else self.abar[0]
        self.timesteps = spaced(cfg, steps, cfg.get("timestep_spacing") or "leading", "int")
        self.gap = cfg.get("num_train_timesteps", 1000) // steps
        self.init_noise_sigma = 1.0
        self.scales = [1.0] * steps

    def step(self, out, i, x, noise):
        t = int(self.timesteps[i])
        a = self.abar[t]
        a_prev = self.abar[t - self.gap] if t - self.gap >= 0 else self.final
        res = []
        for xi, oi in zip(x, out):
            x0 = x0_from(self.pred, xi, oi, abar=a)
            if self.pred == "epsilon":
                eps = oi
            elif self.pred == "v_prediction":
                eps = math.sqrt(a) * oi + math.sqrt(1 - a) * xi
            else:
                eps = (xi - math.sqrt(a) * x0) / math.sqrt(1 - a)
            if self.clip:
                x0 = min(max(x0, -self.clip_range), self.clip_range)
            res.append(math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps)
        return res


class Lcm:
    def __init__(self, cfg, steps):
        self.pred = cfg.get("prediction_type", "epsilon")
        self.scaling = cfg.get("timestep_scaling", 10.0)
        self.abar = alphas_cumprod(cfg)
        T = cfg.get("num_train_timesteps", 1000)
        original = cfg.get("original_inference_steps", 50)
        k = T // original
        origin = [j * k - 1 for j in range(1, original + 1)][::-1]
        idx = [int(math.floor(i * (original / steps))) for i in range(steps)]
        self.timesteps = [float(origin[j]) for j in idx]
        self.init_noise_sigma = 1.0
        self.scales = [1.0] * steps

    def step(self, out, i, x, noise):
        t = int(self.timesteps[i])
        a = self.abar[t]
        st = t * self.scaling
        c_skip = 0.25 / (st ** 2 + 0.25)
        c_out = st / math.sqrt(st ** 2 + 0.25)
        last = i == len(self.timesteps) - 1
        z = None if last else noise.sample(len(x))
        a_next = None if last else self.abar[int(self.timesteps[i + 1])]
        res = []
        for n, (xi, oi) in enumerate(zip(x, out)):
            denoised = c_out * x0_from(self.pred, xi, oi, abar=a) + c_skip * xi
            res.append(denoised if last else math.sqrt(a_next) * denoised + math.sqrt(1 - a_next) * z[n])
        return res


class FlowMatch:
    def __init__(self, cfg, steps, seq_len):
        T = cfg.get("num_train_timesteps", 1000)
        base = np_linspace(1.0, 1.0 / steps, steps)
        if cfg.get("use_dynamic_shifting"):
            x0, y0 = cfg.get("base_image_seq_len", 256), cfg.get("base_shift", 0.5)
            x1, y1 = cfg.get("max_image_seq_len", 4096), cfg.get("max_shift", 1.15)
            slope = (y1 - y0) / (x1 - x0)
            self.mu = seq_len * slope + (y0 - slope * x0)
            e = math.exp(self.mu)
            sig = [e / (e + (1 / s - 1)) for s in base]
        else:
            self.mu = None
            shift = cfg.get("shift", 1.0)
            sig = [shift * s / (1 + (shift - 1) * s) for s in base]
        self.timesteps = [s * T for s in sig]
        self.sigmas = sig + [0.0]
        self.init_noise_sigma = 1.0
        self.scales = [1.0] * steps

    def step(self, out, i, x, noise):
        dt = self.sigmas[i + 1] - self.sigmas[i]
        return [xi + dt * vi for xi, vi in zip(x, out)]


# ---------------------------------------------------------------- cases

SD15 = {"_class_name": "PNDMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
        "num_train_timesteps": 1000, "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1,
        "clip_sample": False, "trained_betas": None}
SDXL = {"_class_name": "EulerDiscreteScheduler", "beta_start": 0.00085, "beta_end": 0.012,
        "beta_schedule": "scaled_linear", "clip_sample": False, "interpolation_type": "linear",
        "num_train_timesteps": 1000, "prediction_type": "epsilon", "sample_max_value": 1.0, "set_alpha_to_one": False,
        "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": None,
        "use_karras_sigmas": False}
LCM = {"_class_name": "LCMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
       "clip_sample": False, "num_train_timesteps": 1000, "original_inference_steps": 50, "prediction_type": "epsilon",
       "set_alpha_to_one": True, "steps_offset": 1, "timestep_scaling": 10.0, "timestep_spacing": "leading"}
FLUX = {"_class_name": "FlowMatchEulerDiscreteScheduler", "base_image_seq_len": 256, "base_shift": 0.5,
        "max_image_seq_len": 4096, "max_shift": 1.15, "num_train_timesteps": 1000, "shift": 3.0,
        "use_dynamic_shifting": True}
SD3 = {"_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": 3.0}
DDPM_V = {"beta_schedule": "linear", "beta_start": 0.0001, "beta_end": 0.02, "prediction_type": "v_prediction"}

CASES = [
    ("euler sd15 linspace 20", "euler", SD15, 20, None),
    ("euler sdxl leading 30", "euler", SDXL, 30, None),
    ("euler sd15 trailing 25", "euler", {**SD15, "timestep_spacing": "trailing"}, 25, None),
    ("euler sd15 karras 20", "euler", {**SD15, "use_karras_sigmas": True}, 20, None),
    ("euler sdxl karras leading 15", "euler", {**SDXL, "use_karras_sigmas": True}, 15, None),
    ("euler linear v-prediction trailing 10", "euler", {**DDPM_V, "timestep_spacing": "trailing"}, 10, None),
    ("euler sd15 sample prediction 1", "euler", {**SD15, "prediction_type": "sample"}, 1, None),
    ("euler-ancestral sd15 20", "euler-ancestral", SD15, 20, None),
    ("euler-ancestral sdxl leading 30", "euler-ancestral", SDXL, 30, None),
    ("ddim sd15 leading 50", "ddim", SD15, 50, None),
    ("ddim sd15 trailing 25", "ddim", {**SD15, "timestep_spacing": "trailing"}, 25, None),
    ("ddim linear v-prediction linspace 30", "ddim", {**DDPM_V, "timestep_spacing": "linspace"}, 30, None),
    ("ddim sample prediction clipped 10", "ddim", {**SD15, "prediction_type": "sample", "clip_sample": True,
                                                   "clip_sample_range": 0.5}, 10, None),
    ("lcm 4", "lcm", LCM, 4, None),
    ("lcm 8", "lcm", LCM, 8, None),
    ("lcm 6 v-prediction", "lcm", {**LCM, "prediction_type": "v_prediction"}, 6, None),
    ("flux 1024x1024 28", "flow-match-euler", FLUX, 28, 4096),
    ("flux 512x512 4", "flow-match-euler", FLUX, 4, 1024),
    ("flow static shift 3 20", "flow-match-euler", SD3, 20, None),
]

SAMPLE = [0.5, -1.25, 2.0, 0.0, -0.75, 1.5, -2.5, 0.125]
MODEL_OUTPUT = [0.125, -0.375, 0.25, 1.0, -0.1875, 0.0625, 0.6875, -0.875]
NOISE_SEED = 1234


def build(kind, cfg, steps, seq_len):
    if kind == "euler":
        return Euler(cfg, steps)
    if kind == "euler-ancestral":
        return Euler(cfg, steps, ancestral=True)
    if kind == "ddim":
        return Ddim(cfg, steps)
    if kind == "lcm":
        return Lcm(cfg, steps)
    return FlowMatch(cfg, steps, seq_len)


def main():
    cases = []
    for name, kind, cfg, steps, seq_len in CASES:
        s = build(kind, cfg, steps, seq_len)
        step_results = []
        for i in sorted({0, steps // 2, steps - 1}):
            result = s.step(MODEL_OUTPUT, i, SAMPLE, GaussianNoise(NOISE_SEED, i))
            step_results.append({"index": i, "result": [f32(v) for v in result]})
        case = {"name": name, "scheduler": kind, "config": cfg, "steps": steps, "image_seq_len": seq_len,
                "timesteps": s.timesteps, "init_noise_sigma": s.init_noise_sigma, "model_input_scales": s.scales,
                "step_results": step_results}
        if hasattr(s, "sigmas"):
            case["sigmas"] = s.sigmas
        if getattr(s, "mu", None) is not None:
            case["mu"] = s.mu
        cases.append(case)
    print(json.dumps({"sample": SAMPLE, "model_output": MODEL_OUTPUT, "noise_seed": NOISE_SEED, "cases": cases},
                     indent=1))


if __name__ == "__main__":
    main()
