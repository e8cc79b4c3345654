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

# %%
from ibcore.notebook import Results
from replications.saxe2018.plots import figures

R = Results.load("saxe2018")
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
# (lr 4·10⁻⁴, batch 256) on a seeded 80 % split. Binning: 30 bins on [−1, 1] for tanh, 100 bins
# over each layer's range during training for ReLU; KDE: upper bound with noise variance 0.1.
# The paper finds a compression phase for tanh (layers near the output move left late in
# training) and none in the ReLU hidden layers, under both estimators.

# %%
figures.info_planes(R, [("szt_tanh", "binning"), ("szt_relu", "binning"),
                        ("szt_tanh", "kde"), ("szt_relu", "kde")])

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
# overtraining), student with one hidden layer of 100 (or five of 50), small initialisation.
# With T = (map to the layer)·X + N(0, I), I(T;X) and I(T;Y) are exact Gaussian formulas. The paper
# finds no compression at all, while the generalisation error E_g has a minimum and then rises
# (overtraining) — and I(T;Y) falls as it does.

# %%
figures.linear_teacher_student(R, ["linear_bgd", "linear_sgd", "linear_deep"])

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
# Same networks trained with minibatches (SGD) and with the full batch (BGD) for the same number
# of epochs. The paper finds the same information-plane picture for both: compression comes
# from the nonlinearity, not from gradient noise. The gradient signal-to-noise ratio
# (‖mean‖/‖std‖ of per-sample gradients, Eqs. 26–27) drops in a step in every layer — also in
# the 1-1-1 linear network, which cannot compress — so the drop does not cause compression.

# %%
figures.info_planes(R, [("sgd_tanh", "binning"), ("bgd_tanh", "binning"),
                        ("sgd_relu", "binning"), ("bgd_relu", "binning")])

# %%
figures.series_by_layer(R, ["sgd_tanh", "bgd_tanh", "sgd_relu", "bgd_relu"],
                        ("gradient", "snr"), "gradient SNR", logy=True)
figures.series_by_layer(R, ["sgd_tanh", "bgd_tanh", "sgd_relu", "bgd_relu"],
                        ("weight_norm",), "weight norm ‖W‖_F")
figures.series_by_layer(R, ["linear111_snr"], ("snr",), "gradient SNR (1-1-1 linear)", logy=True)

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
