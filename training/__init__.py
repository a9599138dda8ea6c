"""Training for the site's models (PyTorch on CPU): the MNIST autoencoders with their PCA
baselines, and the face-swap deepfake.

    python -m training all            # what `make weights` runs
    python -m training mnist-ae-2d --epochs 5 --out /tmp/w
    python -m training faces-swap --steps 300 --out /tmp/w

Modules: mnist (IDX files -> NumPy), pca (the linear baseline), models (the networks and
their settings), train (the loop and the figures); faces (rendered faces as batches),
faces_swap (the deepfake, run step by step from swap_model, swap_loss, swap_fit,
swap_baselines, swap_eval and swap_targets), similarity (SSIM, PSNR), identity and
supervised (the swap's judges); progress (the progress bar), export (float16 safetensors +
weights/manifest.json), demo_data (the demos' MNIST data).
"""
