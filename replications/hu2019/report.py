# %% [markdown]
# # Learning as lossy compression, and Variational Information Distillation
#
# Xu (Shell) Hu's rate–distortion view of supervised learning (slides *On regularizing deep
# learning using mutual information*): (a) the Blahut–Arimoto algorithm and the β-BNN, which
# compresses the training set into the weights against a learned aggregate-posterior prior;
# (b) Variational Information Distillation (Ahn, Hu, Damianou, Lawrence & Dai, CVPR 2019),
# which transfers knowledge by maximising a variational lower bound on I(teacher; student).
# Rates are in **bits** unless a label says nats. The β-BNN rows are a **reconstruction**
# (architecture, n, K, n_b are not public), and the VID tables that need CIFAR-10/CUB-200/
# MIT-67 and a GPU are `not_run` here; an MNIST analogue stands in for them.

# %%
import pandas as pd

from ibcore.notebook import Results
from replications.hu2019 import figures

pd.set_option("display.float_format", "{:g}".format)  # β values such as 1e-10 stay readable

R = Results.load("hu2019")
R.verdict_table()

# %% [markdown]
# ## (a1) Blahut–Arimoto against closed forms
#
# Alternating q_t(x̂|x) ∝ m_t(x̂) e^{−β d(x,x̂)} and m_{t+1} = Σ_x p(x) q_t(x̂|x), one run per
# β. Left and middle: the converged (D, R) points on the closed-form curves
# R(D) = h(p) − h(D) (Bernoulli source, Hamming distortion) and ½ log₂(σ²/D) (Gaussian,
# squared error, on a 401-point grid using the grid's own variance). The issue asks for
# agreement within 10⁻³ bits, a non-increasing R(D), and a monotone Lagrangian. Right: the
# Lagrangian F = I + βD (nats) above its final value, per iteration.

# %%
figures.blahut_arimoto(R)

# %% [markdown]
# ## (a2) β-BNN on MNIST (reconstruction)
#
# Each variant minimises mean NLL + β·KL(q(w|θ) ‖ m(w)) for a mean-field Gaussian MLP
# 784-100-10 on n = 1000 MNIST training images (chosen so the Vanilla BNN lands near the
# slides' 90 %; the slides' architecture and n are not public). Vanilla: m = N(0, I), β = 1/n.
# Fixed-prior: m = N(0, I), β swept. β-BNN: m = uniform mixture of K = 3 posteriors fitted on
# bootstrap samples (one Blahut–Arimoto-style round), then the posterior on all n images
# against m. Online: each component enters m as soon as it is fitted. β* is picked on a
# 2000-image validation split; the slides report 90.05 / 95.86 / 96.08 / 97.12 % at
# β* = 1/n, 1e−10, 1e−5, 1e−3. The figure shows test accuracy against β (log axis), the band
# spanning the seeds.

# %%
figures.bbnn(R)

# %% [markdown]
# ## (b1) VID, MNIST analogue of the transfer tables
#
# A small CNN teacher trained on the full MNIST training set; an MLP student (784-392-256-10,
# hidden 1 read as an 8 × 7 × 7 map) trained on k = 5, 10, 20, 50 images per class with the
# Student (cross-entropy only), KD, FitNet, AT, NST or VID objective. Published pattern
# (CUB-200 and MIT-67, Tables 3–4): VID is best at the smallest data size, beats the Student
# everywhere, and its gain grows as the data shrink. Left: accuracy per method (band: seeds);
# right: VID − Student per data size.

# %%
figures.vid_mnist(R)

# %% [markdown]
# ## (b2) Two-stage dynamics of the VID bound
#
# The slides describe −L_VID (the variational MI lower bound up to the constant H(t)) as
# nearly flat early in training and rising later. Shown: E log φ(t|s) per element of the
# teacher's conv map, averaged over seeds, for each data size; the dotted line marks the
# first 10 % of training, whose share of the total rise is the claim's statistic.

# %%
figures.vid_dynamics(R)

# %% [markdown]
# ## (b3) Published-scale VID tables (paper profile only; data + GPU)
#
# The configurations ship in the `paper` profile (WRN-40-2 teacher and MLP students;
# ImageNet ResNet-34 teachers with ResNet-18 / VGG-9 students) and refuse to run without the
# data sets and a CUDA GPU. Published top-1 accuracies (%), for reference:

# %%
figures.paper_tables(R)

# %%
R.deviations()

# %%
R.provenance()
