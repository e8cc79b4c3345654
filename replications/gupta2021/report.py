# %% [markdown]
# # EDGE vs HSIC information planes on MNIST (Noshad, Zeng & Hero 2019; Gupta 2021)
#
# Gupta's IIT Mandi (2021) study "Why Deep Learning Works?" holds everything fixed except the
# mutual-information estimator: it implements EDGE (Noshad, Zeng & Hero, ICASSP 2019,
# arXiv:1801.09125) with its own XOR vector hash and compares EDGE's information-plane trends
# with HSIC's on MNIST. This report checks Gupta's five inferences, the EDGE paper's own claims
# (accuracy, linear time, compression in every layer in Fig. 5) with the network, data and
# estimator settings of the authors' information-plane code, and puts EDGE's answer beside
# Saxe et al.'s (ICLR 2018) binning and KDE estimators on the *same* activations.
#
# A claim about a trend is *inconclusive* (censored) when the estimate it reads could not have shown
# the trend: an I(X;T) that sits at its ceiling log₂ N (every image in its own cell) "does not
# compress" whatever the network does, and an XOR-hash estimate whose hash merges most cells
# measures the hash. Such verdicts are neither reproduced nor refuted.

# %%
from replications.gupta2021 import figures

from ibcore.notebook import Results

R = Results.load("gupta2021")
R.verdict_table()

# %% [markdown]
# ## EDGE accuracy against exact MI (Noshad, Zeng & Hero 2019, Sec. 6, Figs. 2-3)
#
# X ~ N(0, I₂), Y = X + a·U([0,1]²) for a ∈ {0.1, 0.2, 0.5, 1}, and a four-component Gaussian
# mixture X ∈ {1,2,3,4}, Y | X ~ N([x/2,0,0,0], I₄); exact MI by 1-D quadrature
# (`ground_truth.py`). Three estimators see the same samples: the authors' EDGE with the
# defaults of their code (p-stable hash, nearest-neighbour bandwidth, median of five members),
# `ibcore.mi.EdgeMI` (bandwidth rule 3·N^(−1/(2d)) sd, optimal weights) and KSG (k = 3). The
# claims compare at a = 1/5, the paper's own comparison.

# %%
figures.accuracy(R)

# %% [markdown]
# ## Runtime (Noshad, Zeng & Hero 2019: O(N))
#
# Fastest of several calls, same samples for both estimators (uniform noise, a = 0.5), one
# seed per repetition of the whole sweep. Timings were taken while other jobs may have shared
# the machine, so absolute seconds are inflated; the slopes are what the claims use.

# %%
figures.runtime(R)

# %% [markdown]
# ## Training (Noshad, Zeng & Hero 2019: test accuracy ≈ 0.98)
#
# The authors' information-plane code: 784-W-20-20-20-10, truncated-normal(0.1) weights, zero
# biases, Adam with learning rate 0.003, batch 128, loss 100 × mean cross-entropy, the 60,000
# training images; W = 1024 in the paper profile, narrower and fewer epochs in quick (README,
# Deviations). Every estimate below is computed on the first 10,000 *training* images, as in
# their code; test accuracy on the 10,000 test images.

# %%
figures.training_curves(R)

# %% [markdown]
# ## Information planes, ReLU (Gupta 2021; Noshad, Zeng & Hero 2019, Fig. 5)
#
# One point per epoch end, colour = epoch, one curve per hidden layer T1 (wide) … T4. Top row:
# EDGE as the authors run it (raw images as X, projected to about 9 dimensions by a p-stable
# hash, nearest-neighbour bandwidths, per-layer smoothness γ), ibcore's EDGE with the sample
# index as X, and Gupta's XOR hash at the library bandwidth. Bottom row: the XOR hash at the
# fine bandwidth ε = 0.05 sd, normalised HSIC, and the PyGlow-style HSIC (a guess, see
# Deviations). HSIC is not in bits; only its shape is comparable.

# %%
figures.planes(R, "planes_relu")

# %%
figures.ixt_by_layer(R, "planes_relu")

# %% [markdown]
# ## Information planes, tanh (Noshad, Zeng & Hero 2019, Fig. 5)

# %%
figures.planes(R, "planes_tanh")

# %%
figures.ixt_by_layer(R, "planes_tanh")

# %% [markdown]
# ## How often does the XOR hash collide? (Gupta 2021)
#
# Gupta's vector hash combines per-coordinate hashes by XOR, which is symmetric and cancels
# equal terms: cells whose index vectors are permutations of each other, or differ by a pair of
# equal entries, share a code. The table gives, for every layer and epoch, the share of occupied
# ε-cells that the XOR hash merges, beside the XOR estimates themselves. Gupta's inferences are
# evaluated on the epochs where the fine-bandwidth hash merges fewer than 1 % of the cells
# (threshold and bandwidth fixed before the run); at the library bandwidth the hash merges
# nearly every cell and its estimates say more about the hash than about the network.

# %%
figures.collisions(R)

# %% [markdown]
# ## Do EDGE and HSIC agree? (Gupta 2021, inference 5)
#
# Spearman ρ between an EDGE curve and the HSIC curve of the same layer over epochs (mean over
# seeds). Gupta's claim needs ρ ≥ 0.7 in every layer; a constant curve has no ranking and counts
# as ρ = 0. The `collision_free` rows use only the epochs where the XOR hash merges < 1 % of
# the cells.

# %%
figures.agreement(R)

# %% [markdown]
# ## Does I(X;T) fall? EDGE beside Saxe et al. 2018 on the same activations
#
# The EDGE paper reads its Fig. 5 as compression "in all hidden layers for both activations",
# against Saxe et al.'s finding that ReLU networks do not compress. Below, I(X;T) per layer at
# every epoch end under each estimator, with Saxe's own binning settings (100 bins over the
# training range for ReLU; bins of width 0.5 on MNIST) and the KDE bound. The head-room column
# is how far below its ceiling (log₂ N, log₂ n for KDE on its subsample) the estimate ever gets
# in its most saturated layer: below 0.1 bits the estimate is pinned, and a "no compression"
# read off it is censored (inconclusive), not reproduced.

# %%
figures.compression(R)

# %%
R.deviations()

# %%
R.provenance()
