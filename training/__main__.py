"""python -m training NAME|all [--data-dir DIR] [--epochs N] [--out DIR] [--seed S] [--limit N] [--download]

NAME is one of the MNIST autoencoders, or faces-swap (the decoder-swap deepfake on procedural
faces; no MNIST needed; --steps overrides its number of training steps)."""

import argparse
import sys
import time

from .export import WEIGHTS_DIR
from .mnist import MNISTNotFound, load_mnist
from .models import SPECS
from .train import train

FACES_SWAP = "faces-swap"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description="Train the site's MNIST autoencoders on CPU and export float16 weights + manifest.")
    parser.add_argument("name", choices=[*SPECS, FACES_SWAP, "all"],
                        help="model to train, or 'all' (what `make weights` runs)")
    parser.add_argument("--data-dir", help="directory with the MNIST IDX files (.gz or not); "
                        "default: $MNIST_DIR, then ../shared/data/mnist")
    parser.add_argument("--download", action="store_true", help="download MNIST if it is not found locally")
    parser.add_argument("--epochs", type=int, help="override the model's number of epochs")
    parser.add_argument("--out", default=str(WEIGHTS_DIR), help="output directory (default: weights/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="train on only this many digits (quick checks)")
    parser.add_argument("--steps", type=int, help="faces-swap: override its number of training steps")
    args = parser.parse_args(argv)

    started = time.time()
    if args.name == FACES_SWAP:
        return _faces_swap(args, started)
    try:
        data = load_mnist(args.data_dir, args.download)
    except (MNISTNotFound, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    names = list(SPECS) if args.name == "all" else [args.name]
    for name in names:
        train(name, data=data, epochs=args.epochs, out_dir=args.out, seed=args.seed,
              limit=args.limit, log=lambda *a: print(*a, flush=True))
    if args.name == "all":
        return _faces_swap(args, started, names)
    print(f"done: {', '.join(names)} in {time.time() - started:.0f}s")
    return 0


def _faces_swap(args, started, names=()):
    from .faces_swap import train as train_swap  # imports torch only when asked for

    train_swap(args.out, steps=args.steps, seed=args.seed, log=lambda *a: print(*a, flush=True))
    print(f"done: {', '.join([*names, FACES_SWAP])} in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
