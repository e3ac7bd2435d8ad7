"""PyTorch CPU contestant of scripts/bench/alternatives: sitter's default network and training
recipe, written the way a PyTorch user would, on the same examples (ExportExamples' arrays).

Network: Linear(784,256) -> BatchNorm1d -> ReLU, twice, then Linear(256,10) with softmax
cross-entropy; He initialization (normal, std sqrt(2/fan_in), as sitter's `he`), zero biases;
BatchNorm eps 1e-5 and running-average momentum 0.1 (DL4J's decay 0.9). Adam lr 1e-3, betas
(0.9, 0.999), eps 1e-8 (DL4J's defaults); minibatch 128, a fresh shuffle every epoch.
Clock: only the training steps (forward, backward, optimizer step) like the single-JVM DL4J
contestant's net.fit calls; minibatch gathering and the epoch-end test evaluation are excluded.

usage: pytorch_contestant.py DATA_DIR EPOCHS THREADS SEED   (prints one JSON result line)
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

TARGETS = (0.85, 0.88, 0.89)


def load(data, split):
    rows, features = (int(v) for v in open(os.path.join(data, split + ".shape")).read().split())
    x = np.fromfile(os.path.join(data, split + "-x.f32"), dtype="<f4").reshape(rows, features)
    y = np.fromfile(os.path.join(data, split + "-y.i32"), dtype="<i4")
    return torch.from_numpy(x.copy()), torch.from_numpy(y.astype(np.int64))


def network(n_in, hidden, n_out):
    layers = []
    for h in hidden:
        dense = nn.Linear(n_in, h)
        nn.init.kaiming_normal_(dense.weight, nonlinearity="relu")  # N(0, 2 / fan_in)
        nn.init.zeros_(dense.bias)
        layers += [dense, nn.BatchNorm1d(h, eps=1e-5, momentum=0.1), nn.ReLU()]
        n_in = h
    out = nn.Linear(n_in, n_out)
    nn.init.kaiming_normal_(out.weight, nonlinearity="relu")
    nn.init.zeros_(out.bias)
    layers.append(out)
    return nn.Sequential(*layers)


def main():
    data, epochs, threads, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    xtr, ytr = load(data, "train")
    xte, yte = load(data, "test")
    net = network(xtr.shape[1], (256, 256), 10)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    b = 128
    clock = 0.0
    examples = 0
    timeline = []
    for epoch in range(1, epochs + 1):
        net.train()
        order = torch.randperm(xtr.shape[0], generator=gen)
        for start in range(0, xtr.shape[0], b):
            idx = order[start:start + b]
            if idx.numel() < 2:  # BatchNorm cannot train on a single example
                continue
            xb, yb = xtr[idx], ytr[idx]
            t = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xb), yb)
            loss.backward()
            opt.step()
            clock += time.perf_counter() - t
            examples += idx.numel()
        net.eval()
        with torch.no_grad():
            accuracy = (net(xte).argmax(1) == yte).double().mean().item()
        timeline.append({"step": epoch, "examples": examples, "seconds": clock, "test_accuracy": accuracy})
        print(f"pytorch: epoch {epoch} test accuracy {accuracy:.4f} at {clock:.1f} s", file=sys.stderr)
    result = {
        "contestant": "pytorch", "variant": f"threads={threads}", "seed": seed,
        "torch_version": torch.__version__, "torch_threads": torch.get_num_threads(), "cores": threads,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "epochs": epochs, "minibatch_size": b,
        "clock": "sum of training steps (forward, backward, Adam step); minibatch gathering and evaluation excluded",
        "training_seconds": clock, "examples": examples, "samples_per_second": examples / clock,
        "final_accuracy": timeline[-1]["test_accuracy"], "best_accuracy": max(p["test_accuracy"] for p in timeline),
        "timeline": timeline,
    }
    for target in TARGETS:
        reached = [p["seconds"] for p in timeline if p["test_accuracy"] >= target]
        result[f"seconds_to_{target:.2f}"] = reached[0] if reached else None
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
