"""Throughput of the batched trainer (`ibcore.train.fit_stacked`) against one model at a time.

Run on demand (not part of pytest), one torch thread throughout:

    .venv/bin/python benchmarks/bench_train.py           # full run, ~2 min
    .venv/bin/python benchmarks/bench_train.py --quick   # < 60 s

Measured in one process, so machine load affects every side of each ratio alike:

1. Peak: GFLOP/s of a 2048 × 2048 float32 matmul (2·n³ FLOPs), best of 2-3, measured again
   beside every MNIST round; `peak_gflops` in the JSON is the median of all of them.
2. The 12-bit-task net 12-10-7-5-4-3-2 (tanh, Adam, batch 256, 4096 samples of
   `ibcore.data.szt()`, sigmoid outputs): a naive loop (`MLP` + `torch.optim.Adam`, one model)
   against the trainer at M = 50. Speed-up = 50 · (one model's epoch time) / (the M = 50
   epoch time), the median over rounds that alternate the two. Target ≥ 15.
3. MNIST MLPs 784-100-10, 784-256-100-10, 784-32-32-32-32-10 (ReLU, SGD lr 0.1, batch 100,
   at M = 10, gathered from all 60,000 training images (the full run trains each model one
   epoch on all of them; --quick on its own random 4,000), as a fraction of the peak measured
   just before, the median over rounds. Targets ≥ 0.70, ≥ 0.70, ≥ 0.50. The naive one-model
   loop is timed too (60 steps), for reference, and so is the stacked forward + backward
   alone on a fixed batch (no gather, no optimiser): where the rest of the step goes.
4. `torch.func` (`stack_module_state` + `vmap(grad(...))`) against the stacked `bmm` forward
   and backward on the same shapes (gradients only, no optimiser), to justify `bmm`.

FLOP count (MNIST): only the matrix products the step must do, per sample and per model:
forward 2·n_in·n_out per layer; backward 2·n_in·n_out for the weight gradient of every layer
plus 2·n_in·n_out for the input gradient of every layer but the first (no gradient flows into
the pixels). Biases, activations, the loss, the optimiser and the minibatch gather are not
counted (they are work, but not FLOPs a peak matmul could do). This is 6·W − 2·W₁ for W weights
of which W₁ are in the first layer, i.e. less than the "6 · parameters" rule of thumb; the
"6N" figure is printed beside it for comparison.

The LAST line printed is one JSON object:
{"peak_gflops": …, "tiny_speedup_m50": …, "mlp_peak_fraction": {"784-100-10": …, …}}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch.func import functional_call, grad, stack_module_state, vmap

from ibcore.data import mnist, szt
from ibcore.nn.mlp import MLP
from ibcore.seeding import torch_generator
from ibcore.train import Schedule, StackedMLP, fit_stacked, minibatches
from ibcore.train.losses import cross_entropy, sigmoid_bce

SZT = [12, 10, 7, 5, 4, 3, 2]
MNIST_NETS = {
    "784-100-10": [784, 100, 10],
    "784-256-100-10": [784, 256, 100, 10],
    "784-32-32-32-32-10": [784, 32, 32, 32, 32, 10],
}


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def seconds(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


class Peak:
    """Best of `reps` n × n float32 matmuls, in GFLOP/s (2·n³ FLOPs each).

    The matrices and the product's buffer are allocated once: a fresh 16 MB product per call
    would be returned to the system and leave the trainer measured next with a cold allocator.
    """

    def __init__(self, n: int = 2048) -> None:
        self.n = n
        self.a, self.b, self.c = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
        self()  # warm-up

    def __call__(self, reps: int = 2) -> float:
        best = min(seconds(lambda: torch.mm(self.a, self.b, out=self.c)) for _ in range(reps))
        return 2 * self.n**3 / best / 1e9


def step_flops(widths: list[int]) -> int:
    """Matmul FLOPs of one forward + backward pass per sample (see module docstring)."""
    layers = list(zip(widths[:-1], widths[1:]))
    fwd = sum(2 * a * b for a, b in layers)
    grad_w = fwd
    grad_in = sum(2 * a * b for a, b in layers[1:])
    return fwd + grad_w + grad_in


def six_n(widths: list[int]) -> int:
    return 6 * sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))


def naive_seconds_per_step(widths, act, x, y, loss, opt_name, lr, batch, n_steps) -> float:
    """One model, the textbook loop: MLP, torch.optim, x[idx]."""
    torch.manual_seed(0)
    net = MLP(widths, act)
    opt = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[opt_name](net.parameters(), lr=lr)
    gen = torch_generator(0, 2)
    steps = 0
    t = time.perf_counter()
    while steps < n_steps:
        for idx in minibatches(len(x), batch, gen):
            opt.zero_grad()
            loss(net(x[idx]), y[idx]).backward()
            opt.step()
            steps += 1
            if steps == n_steps:
                break
    return (time.perf_counter() - t) / steps


def stacked_seconds_per_step(widths, act, m, x, y, schedule, subsets=None) -> float:
    """The trainer on M models; `subsets` (M, n) restricts each model to n samples."""
    model = StackedMLP.torch_default(widths, act, list(range(m)))
    gens = [torch_generator(k, 2) for k in range(m)]
    n = len(x) if subsets is None else subsets.shape[1]
    steps = schedule.n_epochs * -(-n // schedule.batch_size)
    return seconds(lambda: fit_stacked(model, x, y, schedule, gens, subsets=subsets)) / steps


def tiny(rounds: int, n_epochs: int) -> dict:
    """Rounds alternate the naive loop and the trainer; the speed-up is their median ratio."""
    x_np, y_np = szt()
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    m, steps = 50, len(x) // 256
    sched = Schedule(n_epochs=n_epochs, batch_size=256, optimizer="adam", lr=4e-4,
                     loss="sigmoid_bce")
    pairs = []
    for _ in range(rounds):
        naive = naive_seconds_per_step(SZT, "tanh", x, y, sigmoid_bce, "adam", 4e-4, 256,
                                       n_epochs * steps)
        stacked = stacked_seconds_per_step(SZT, "tanh", m, x, y, sched)
        pairs.append((naive, stacked))
    return {
        "naive_ms_per_epoch": 1e3 * statistics.median(p[0] for p in pairs) * steps,
        "stacked_ms_per_epoch_m50": 1e3 * statistics.median(p[1] for p in pairs) * steps,
        "speedup": statistics.median(m * a / b for a, b in pairs),
    }


def mlp(widths: list[int], x, y, rounds: int, n_per_model: int, peak_gflops: Peak) -> dict:
    """Rounds alternate a peak matmul and the trainer (M = 10, each model on its own random
    `n_per_model` of the 60,000 images); the fraction is the median of the per-round ratios."""
    m, batch = 10, 100
    g = torch.Generator().manual_seed(0)
    subsets = None
    if n_per_model < len(x):
        subsets = torch.stack([torch.randperm(len(x), generator=g)[:n_per_model] for _ in range(m)])
    sched = Schedule(n_epochs=1, batch_size=batch, optimizer="sgd", lr=0.1)
    warm = torch.stack([torch.arange(k * 1000, (k + 1) * 1000) for k in range(m)])
    flops = m * batch * step_flops(widths)
    grad_only = forward_backward(widths, m, batch)
    rows = []
    for _ in range(rounds):
        peak = peak_gflops()
        stacked_seconds_per_step(widths, "relu", m, x, y, sched, warm)  # 10 warm-up steps
        sec = stacked_seconds_per_step(widths, "relu", m, x, y, sched, subsets)
        rows.append((peak, sec, min(seconds(grad_only) for _ in range(5))))
    naive = naive_seconds_per_step(widths, "relu", x, y, F.cross_entropy, "sgd", 0.1, batch, 60)
    sec = statistics.median(r[1] for r in rows)
    return {
        "peaks": [r[0] for r in rows],
        "stacked_ms_per_step_m10": 1e3 * sec,
        "stacked_gflops": flops / sec / 1e9,
        "peak_fraction": statistics.median(flops / s / 1e9 / p for p, s, _ in rows),
        "fwd_bwd_fraction": statistics.median(flops / g / 1e9 / p for p, _, g in rows),
        "gflops_6n_convention": m * batch * six_n(widths) / sec / 1e9,
        "naive_gflops_one_model": batch * step_flops(widths) / naive / 1e9,
    }


def forward_backward(widths: list[int], m: int, batch: int) -> Callable[[], None]:
    """One stacked forward + backward on a fixed batch: the matmul work of a step without the
    gather, the optimiser or fresh minibatch indices."""
    g = torch.Generator().manual_seed(0)
    xb = torch.rand(m, batch, widths[0], generator=g)
    yb = torch.randint(0, widths[-1], (m, batch), generator=g)
    stack = StackedMLP.torch_default(widths, "relu", list(range(m)))

    def run() -> None:
        for p in stack.parameters():
            p.grad = None
        cross_entropy(stack(xb), yb).sum().backward()

    run()
    return run


def vmap_vs_bmm(widths, act, m, batch, loss, reps) -> dict:
    """Seconds per gradient evaluation of M models: torch.func vmap vs stacked bmm (alternated,
    best of `reps` each)."""
    g = torch.Generator().manual_seed(0)
    xb = torch.rand(m, batch, widths[0], generator=g)
    yb = torch.randint(0, widths[-1], (m, batch), generator=g)
    nets = []
    for k in range(m):
        torch.manual_seed(k)
        nets.append(MLP(widths, act))
    params, buffers = stack_module_state(nets)
    base = MLP(widths, act).to("meta")

    def one_loss(p, b, xi, yi):
        return loss(functional_call(base, (p, b), (xi,)), yi)

    grads = vmap(grad(one_loss))
    stack = StackedMLP.from_modules(nets, act)
    per_model = sigmoid_bce if loss is sigmoid_bce else cross_entropy

    def f_bmm():
        for p in stack.parameters():
            p.grad = None
        per_model(stack(xb), yb).sum().backward()

    def f_vmap():
        grads(params, buffers, xb, yb)

    f_vmap(), f_bmm()
    t_vmap, t_bmm = [], []
    for _ in range(reps):
        t_vmap.append(seconds(f_vmap))
        t_bmm.append(seconds(f_bmm))
    return {"vmap_ms": 1e3 * min(t_vmap), "bmm_ms": 1e3 * min(t_bmm)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short run, under 60 s")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    print(f"loadavg at start: {loadavg()}  torch {torch.__version__}, 1 thread")
    rounds = 3 if args.quick else 5

    peak_gflops = Peak()
    peaks = [peak_gflops(reps=3)]
    print(f"peak: {peaks[0]:.1f} GFLOP/s (2048² float32 matmul, best of 3)")

    t = tiny(rounds, 2 if args.quick else 10)
    print(f"12-bit net: naive {t['naive_ms_per_epoch']:.1f} ms/epoch for one model; "
          f"trainer {t['stacked_ms_per_epoch_m50']:.1f} ms/epoch for 50 → "
          f"speed-up {t['speedup']:.1f}× (median of {rounds} rounds; target ≥ 15)")

    d = mnist()
    x, y = torch.from_numpy(d.train_x), torch.from_numpy(d.train_y)
    fractions = {}
    for name, widths in MNIST_NETS.items():
        r = mlp(widths, x, y, rounds, 4000 if args.quick else len(x), peak_gflops)
        peaks += r["peaks"]
        fractions[name] = r["peak_fraction"]
        print(f"{name}: M=10 {r['stacked_ms_per_step_m10']:.2f} ms/step, "
              f"{r['stacked_gflops']:.1f} GFLOP/s, {r['peak_fraction']:.2f} of the peak measured "
              f"beside it (forward+backward alone {r['fwd_bwd_fraction']:.2f}; "
              f"peaks {', '.join(f'{p:.0f}' for p in r['peaks'])}; "
              f"{r['gflops_6n_convention']:.1f} GFLOP/s counting 6N); "
              f"naive one model {r['naive_gflops_one_model']:.1f} GFLOP/s")

    for name, widths, act, m, batch, loss in [
        ("12-bit M=50", SZT, "tanh", 50, 256, sigmoid_bce),
        ("784-100-10 M=10", MNIST_NETS["784-100-10"], "relu", 10, 100, F.cross_entropy),
    ]:
        v = vmap_vs_bmm(widths, act, m, batch, loss, 5 if args.quick else 20)
        print(f"vmap vs bmm, {name}: vmap {v['vmap_ms']:.2f} ms, bmm {v['bmm_ms']:.2f} ms "
              "per forward+backward")

    print(f"loadavg at end: {loadavg()}  wall {time.perf_counter() - start:.1f} s")
    print(json.dumps({
        "peak_gflops": round(statistics.median(peaks), 2),
        "tiny_speedup_m50": round(t["speedup"], 2),
        "mlp_peak_fraction": {k: round(v, 3) for k, v in fractions.items()},
    }))


if __name__ == "__main__":
    main()
