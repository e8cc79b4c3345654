# %% [markdown]
# # Saxe et al. (ICLR 2018): On the Information Bottleneck Theory of Deep Learning
#
# Shwartz-Ziv & Tishby (2017) reported that deep networks first fit their labels and then
# *compress*: the mutual information I(X;T) between input and hidden layer falls. Saxe et al.
# argue that (i) compression comes from saturating nonlinearities measured with binning, not
# from deep learning as such — ReLU and linear networks do not compress; (ii) compression is
# not needed for generalisation; (iii) it is not caused by the noise of SGD; and (iv) networks
# can compress task-irrelevant information while fitting. Each section re-runs one experiment.
# Information is in bits throughout. Curves are means over seeds.
#
# **The paper's questions** (each line assembled from the verdicts of the claims that bear on
# it; the full verdict paragraph and table follow):

# %%
from ibcore.notebook import Results
from replications.saxe2018.plots import figures, summary

R = Results.load("saxe2018")
summary.answer(R)

# %%
R.verdict_table()

# %% [markdown]
# ## 1. Three-neuron model (§2, Fig. 2C–D; App. C, Fig. 13)
#
# X ~ N(0, 1), h = f(wX), T = bin(h). T is a function of X, so I(T;X) = H(T), computed
# exactly from Gaussian CDF differences. The paper's Fig. 2C shows the tanh curve rising and
# then falling once the unit saturates (most of the mass lands in the two end bins); Fig. 2D
# shows the ReLU curve rising throughout. Fig. 13 shows that with bin edges evenly spaced in
# *net input* the tanh curve no longer falls: the fall is a property of the binning.

# %%
figures.three_neuron(R)

# %% [markdown]
# ## 2. tanh vs ReLU on the 12-bit task (§2, Fig. 1A–B; App. A–B)
#
# The 12-10-7-5-4-3-2 network of Shwartz-Ziv & Tishby with two sigmoid output units, Adam
# (lr 4·10⁻⁴, batch 256) on a seeded 80 % split, initialised as in the authors' code
# (truncated normal with standard deviation 1/√width, zero biases). Binning: 30 bins on
# [−1, 1] for tanh, 100 bins over each layer's range during training for ReLU, on all 4 096
# patterns; KDE: upper bound with noise variance 0.1 on the test patterns (App. B.1). The
# paper finds a fitting phase (I(T;Y) rises early), then a compression phase for tanh (layers
# near the output move left late in training) and none in the ReLU hidden layers, under both
# estimators. The first hidden layers of a 12-bit network tell all 4 096 inputs apart under
# binning: their I(X;T) sits at the ceiling log₂ 4096 = 12 bits, where it can neither rise nor
# fall, so the no-compression claims leave such pinned layers out.

# %%
figures.info_planes(R, [("szt_tanh", "binning"), ("szt_relu", "binning"),
                        ("szt_tanh", "kde"), ("szt_relu", "kde")])

# %% [markdown]
# ### Seed by seed
#
# The compression claims are decided seed by seed; these panels show each run's I(X;T) in the
# two layers nearest the output, so that a re-expansion late in training (which makes a seed's
# "peak minus final" small) is visible.

# %%
figures.per_seed_compression(R, ["szt_tanh", "szt_tanh_torchinit"])

# %% [markdown]
# ### Does compression depend on the initialisation?
#
# The paper does not state its initialisation. The same networks initialised with PyTorch's
# `nn.Linear` default (uniform ±1/√fan-in weights and biases, about 1.7× smaller than the
# authors' scale in the first layer). Saturation drives compression in the paper's account, so
# the smaller initialisation should compress less.

# %%
figures.info_planes(R, [("szt_tanh_torchinit", "binning"), ("szt_relu_torchinit", "binning")])

# %% [markdown]
# ### Other nonlinearities under KDE (App. B.2)
#
# The paper reports modest compression for softsign (saturates slowly) and none for softplus
# (one-sided, like ReLU).

# %%
figures.info_planes(R, [("szt_softsign", "kde"), ("szt_softplus", "kde")])

# %% [markdown]
# ## 3. Compression without generalisation (Fig. 4C–D)
#
# The tanh network trained on only 30 % of the patterns. The paper shows that it still
# compresses while its test error stays well above its training error: compression does not
# imply generalisation.

# %%
figures.errors(R, ["szt_tanh", "szt_overfit"])
figures.info_planes(R, [("szt_overfit", "binning")], ncols=1)

# %% [markdown]
# ## 4. Deep linear teacher–student (§3, Figs. 3, 4A–B, 18; App. G)
#
# X ~ N(0, I/100), scalar linear teacher with SNR 1, P = 100 samples (α = 1, the worst case for
# overtraining), student with one hidden layer of 100 (or five of 50), small initialisation,
# trained on the shared trainer (bias-free float64 networks). With T = (map to the layer)·X +
# N(0, I), I(T;X) and I(T;Y) are exact Gaussian formulas. The paper finds no compression at
# all, while the generalisation error E_g has a minimum and then rises (overtraining, Fig. 4A)
# — and I(T;Y) falls as it does. With four times as many samples (P = 4N, Fig. 3) the
# information plane looks the same but E_g barely rises: the plane does not track
# generalisation.

# %%
figures.linear_teacher_student(R, ["linear_bgd", "linear_bgd_p4n", "linear_sgd"])
figures.linear_teacher_student(R, ["linear_deep"])

# %% [markdown]
# ### Closed-form learning curves (Advani & Saxe 2017)
#
# One-layer student, gradient flow from zero. Lines: Marchenko–Pastur closed form; dots:
# simulation at N = 100. E_g(∞) is finite for α ≠ 1 and diverges at α = P/N = 1.

# %%
figures.advani_saxe(R)

# %% [markdown]
# ## 5. Stochastic vs full-batch training (§4, Fig. 5; App. I, Figs. 20–21)
#
# Each seed trains one initialisation twice: with minibatches of 32 (SGD) and with the full
# batch (GD), both with Adam at the same learning rate and for the same number of
# optimisation steps, logged at the same step counts — so the arms differ only in gradient
# noise. The paper finds the same information-plane picture for both: compression comes from
# the nonlinearity, not from gradient noise. The gradient signal-to-noise ratio (norm of the
# mean over the norm of the standard deviation of per-sample gradients, Eqs. 26–27) drops in a
# step in every layer — also in the 1-1-1 linear network, which cannot compress — so the drop
# does not cause compression. A "step" is tested as an early plateau, a late plateau and a
# transition at most one decade of epochs wide.

# %%
figures.gd_losses(R, ["gd_tanh", "gd_relu"])

# %% [markdown]
# Matched steps are not matched progress: full-batch GD fits faster per step. The same runs
# against their training loss instead (no claim reads this view; it shows whether the two arms
# trace similar curves once compared at equal loss).

# %%
figures.gd_by_loss(R, ["gd_tanh", "gd_relu"])

# %%
figures.info_planes(R, [("gd_tanh", "binning", "sgd"), ("gd_tanh", "binning", "bgd"),
                        ("gd_relu", "binning", "sgd"), ("gd_relu", "binning", "bgd")])

# %%
figures.series_by_layer(R, [("gd_tanh", "sgd", "gradient", "snr"),
                            ("gd_tanh", "bgd", "gradient", "snr"),
                            ("gd_relu", "sgd", "gradient", "snr"),
                            ("gd_relu", "bgd", "gradient", "snr")],
                        "gradient SNR", logy=True)
figures.series_by_layer(R, [("gd_tanh", "sgd", "weight_norm"), ("gd_tanh", "bgd", "weight_norm"),
                            ("gd_relu", "sgd", "weight_norm"), ("gd_relu", "bgd", "weight_norm")],
                        "weight norm (Frobenius)")
figures.series_by_layer(R, [("linear111_snr", "snr")], "gradient SNR", logy=True)

# %% [markdown]
# ## 6. Simultaneous fitting and compression (§5, Fig. 6)
#
# A linear teacher that reads only 30 of 100 inputs; deep linear student, SGD with batch 5.
# The paper finds that the total I(T;X) and I(T;X_relevant) rise, while I(T;X_irrelevant) rises
# and then falls *while the training error is still falling*.

# %%
figures.relevant_irrelevant(R)

# %% [markdown]
# ## 7. MNIST (Fig. 1C–D; App. B, Figs. 9–10)
#
# 784-1024-20-20-20-10 with sigmoid outputs, SGD batch 128; MI on test images with KDE
# (σ² = 0.1) and binning (bin size 0.5). **The quick profile is reduced** (first layer 256,
# 10 000 training images, 20 epochs, MI on 1 000 test images); the paper profile uses the
# published width and the full data.

# %%
figures.info_planes(R, [("mnist_tanh", "kde"), ("mnist_relu", "kde"),
                        ("mnist_tanh", "binning"), ("mnist_relu", "binning")])

# %%
R.deviations()

# %%
R.provenance()
