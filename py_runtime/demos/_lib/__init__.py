"""What the demos share and are not demos themselves: the SVG writer, the digit pictures, the
models and MNIST data they load, the little trained network, the latent map two demos draw,
small linear algebra (linalg2), a demo's math or pictures where its module would grow too long
(ica and bss_unmix_draw for bss-unmix, kernel_trick_draw), and the worker's door into Python
(bridge).

Kept apart so that every module in py_runtime/demos/ is one demo, named as the demo is
(`bss-unmix` -> bss_unmix.py).
"""
