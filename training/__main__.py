"""python -m training NAME|all [--data-dir DIR] [--epochs N] [--out DIR] [--seed S] [--limit N] [--download]"""

import argparse
import sys
import time

from .mnist import MNISTNotFound, load_mnist
from .models import SPECS
from .train import WEIGHTS_DIR, train


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description="Train the site's MNIST autoencoders on CPU and export float16 weights + manifest.")
    parser.add_argument("name", choices=[*SPECS, "all"], help="model to train, or 'all' (what `make weights` runs)")
    parser.add_argument("--data-dir", help="directory with the MNIST IDX files (.gz or not); "
                        "default: $MNIST_DIR, then ../shared/data/mnist")
    parser.add_argument("--download", action="store_true", help="download MNIST if it is not found locally")
    parser.add_argument("--epochs", type=int, help="override the model's number of epochs")
    parser.add_argument("--out", default=str(WEIGHTS_DIR), help="output directory (default: weights/)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="train on only this many digits (quick checks)")
    args = parser.parse_args(argv)

    try:
        data = load_mnist(args.data_dir, args.download)
    except (MNISTNotFound, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    names = list(SPECS) if args.name == "all" else [args.name]
    started = time.time()
    for name in names:
        train(name, data=data, epochs=args.epochs, out_dir=args.out, seed=args.seed,
              limit=args.limit, log=lambda *a: print(*a, flush=True))
    print(f"done: {', '.join(names)} in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
