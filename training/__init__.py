"""Training for the site's MNIST autoencoders (PyTorch on CPU) and their PCA baselines.

    python -m training all            # what `make weights` runs
    python -m training mnist-ae-2d --epochs 5 --out /tmp/w

Modules: mnist (IDX files -> NumPy), pca (the linear baseline), models (the
networks and their settings), train (the loop and the figures), export
(float16 safetensors + weights/manifest.json).
"""
