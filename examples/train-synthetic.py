#!/usr/bin/env python3
"""A synthetic trainer for trying gpuq sweeps without a GPU.

Its validation loss depends on its hyperparameters and falls with each
step, like a real training run's, and it reports it the way any trial
reports metrics to gpuq: one JSON object per line appended to the file
named by $GPUQ_METRICS_FILE, or printed as "@gpuq {...}" on stdout.

    python3 train-synthetic.py --lr=0.001 --batch_size=64 --dropout=0.1

Options (W&B passes them as --name=value; "--name value" works too):
  --lr X          learning rate (default 0.001)
  --batch_size N  (default 64)
  --dropout X     (default 0.2)
  --steps N       steps to run (default 27)
  --sleep S       seconds per step (default 0.05)
  --noise X       standard deviation of noise on the loss (default 0)
  --seed N        seed of that noise (default 0)
  --report how    "file" ($GPUQ_METRICS_FILE, the default when set),
                  or "stdout" (@gpuq lines)

The loss curve is  floor + 1.5 * exp(-rate * step)  with
  floor = 0.1 + 0.08 (log10 lr + 2.5)^2 + 0.02 ((bs - 64) / 64)^2
              + 0.5 (dropout - 0.2)^2
  rate  = 0.15 + 0.1 (log10 lr + 4)       (larger steps learn faster)
so the best final loss is near lr = 10^-2.5, batch 64, dropout 0.2, and
`--final` prints the loss a run would end with, for checking sweeps.
"""
import json
import math
import os
import random
import sys
import time


def parse(argv):
    opts = {"lr": 0.001, "batch_size": 64, "dropout": 0.2, "steps": 27,
            "sleep": 0.05, "noise": 0.0, "seed": 0, "report": None,
            "final": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--final":
            opts["final"] = True
            i += 1
            continue
        if not a.startswith("--"):
            sys.exit("train-synthetic: unexpected argument %r" % a)
        if "=" in a:
            k, v = a[2:].split("=", 1)
        else:
            if i + 1 >= len(argv):
                sys.exit("train-synthetic: %s needs a value" % a)
            k, v = a[2:], argv[i + 1]
            i += 1
        k = k.replace("-", "_")
        if k not in opts:
            sys.exit("train-synthetic: unknown option --%s" % k)
        opts[k] = v if k == "report" else float(v)
        i += 1
    return opts


def loss(o, step):
    x = math.log10(max(float(o["lr"]), 1e-12))
    floor = (0.1 + 0.08 * (x + 2.5) ** 2
             + 0.02 * ((float(o["batch_size"]) - 64) / 64) ** 2
             + 0.5 * (float(o["dropout"]) - 0.2) ** 2)
    rate = max(0.15 + 0.1 * (x + 4), 0.02)
    return floor + 1.5 * math.exp(-rate * step)


def main():
    o = parse(sys.argv[1:])
    steps = int(o["steps"])
    if o["final"]:
        print("%.6f" % loss(o, steps))
        return
    rng = random.Random(int(o["seed"]))
    path = os.environ.get("GPUQ_METRICS_FILE")
    how = o["report"] or ("file" if path else "stdout")
    out = open(path, "a") if how == "file" else None
    for step in range(1, steps + 1):
        time.sleep(float(o["sleep"]))
        v = loss(o, step) + rng.gauss(0.0, float(o["noise"]))
        line = json.dumps({"step": step, "val_loss": round(v, 6),
                           "train_loss": round(v * 0.9, 6)})
        if out is not None:
            out.write(line + "\n")
            out.flush()
        else:
            print("@gpuq " + line, flush=True)
    print("done: %d steps, val_loss %.4f" % (steps, loss(o, steps)),
          flush=True)


if __name__ == "__main__":
    main()
