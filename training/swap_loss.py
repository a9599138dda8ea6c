"""What the face swap is trained to minimise: rebuild each person's face, with the eyes and
mouth counted more, from codes that do not say whose face it was.

    loss = face_loss(decoded, target, mask, spec)            # L1 + DSSIM, eyes and mouth weighted up
    loss += spec["align_weight"] * latent_alignment(za, zb)  # same spread of codes for A and B
    loss += weight * confusion(critic, [za, zb])             # a critic cannot tell them apart
"""

import torch
from torch import nn
import torch.nn.functional as F

from .similarity import ssim_map
from .swap_model import LEAK


def face_loss(pred, target, mask, spec):
    """L1 plus DSSIM (1 - SSIM) / 2, both weighted up by `priority_weight` on the eyes and mouth.

    L1 gets the colours right; DSSIM, the structural term DeepFaceLab trains with, is what
    the swap is judged by and rewards sharp edges (lids, pupils, lips) that L1 alone blurs.
    The priority mask makes the few pixels that carry the expression count."""
    weight = 1.0 + spec["priority_weight"] * mask
    l1 = (weight * (pred - target).abs()).mean()
    dssim = (weight[:, :, 5:-5, 5:-5] * (1.0 - ssim_map(pred, target)) / 2).mean()   # SSIM's window is 11 wide
    return l1 + spec["dssim_weight"] * dssim


def latent_alignment(za, zb, variances=True):
    """How differently the two people's faces are spread in the latent space: the distance
    between the batch means (and between the per-axis variances), relative to the codes' size
    so the encoder cannot just shrink them. Expression and pose are drawn from the same
    distribution for both people, so aligned codes make this small; it needs no pairs of
    matching faces, which a real deepfake does not have either."""
    va, vb = za.var(0), zb.var(0)
    scale = 0.5 * (va + vb).sum() + 1e-6
    term = ((za.mean(0) - zb.mean(0)) ** 2).sum() / scale
    if variances:
        term = term + ((va.sqrt() - vb.sqrt()) ** 2).sum() / scale
    return term


class LatentCritic(nn.Module):
    """A small network that guesses from a code whose face it came from (the logit of "B").

    It learns on detached codes to tell A's from B's; the encoder, in the same step, is
    trained to leave it at even odds (a confusion loss: cross-entropy against 1/2 for every
    code). Matching means and spreads (latent_alignment) still lets the two people fill
    different corners of the code space; once no network can tell the codes apart, decoder B
    is fed A's codes from the same distribution it was trained on. It is a training aid
    only: nothing of it ships. DeepFaceLab's "True Face" option (off by default) trains a code
    discriminator too, but its encoder side is one-sided: it pushes one person's codes to be
    taken for the other's."""

    def __init__(self, latent_dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent_dim, hidden), nn.LeakyReLU(LEAK),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(LEAK), nn.Linear(hidden, 1))

    def forward(self, z):
        return self.net(z)


def critic_step(critic, optimizer, codes):
    """One step of the critic on detached codes; returns its accuracy on them."""
    z = torch.cat([c.detach() for c in codes])
    labels = torch.cat([torch.full((len(c), 1), float(i)) for i, c in enumerate(codes)])
    logits = critic(z)
    loss = F.binary_cross_entropy_with_logits(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return ((logits > 0).float() == labels).float().mean().item()


def confusion(critic, codes):
    """The encoder's side: cross-entropy of the critic's guess against 1/2, smallest when the
    critic cannot tell whose code it sees."""
    logits = critic(torch.cat(codes))
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, 0.5))
