# %% [markdown]
# # Achille & Soatto (JMLR 2018): information in the weights
#
# *Emergence of Invariance and Disentanglement in Deep Representations* (Achille & Soatto,
# JMLR 2018), with *Where is the Information in a Deep Neural Network?* (Achille, Paolini &
# Soatto 2019) and *Critical Learning Periods in Deep Networks* (Achille, Rovere & Soatto,
# ICLR 2019). The networks are trained with the IB Lagrangian for the weights,
# L = Σ cross-entropy + β · KL(q(w|D) ‖ p(w)): β trades fit against the information the
# weights keep about the training set. All information is in **nats** (the paper's unit).
# The published experiments use CIFAR-10 and All-CNN/ResNets; here everything runs on pooled
# MNIST with small MLPs (see Deviations).

# %%
from ibcore.notebook import Results
from replications.achille2018 import figures

R = Results.load("achille2018")
R.verdict_table()

# %% [markdown]
# ## 1. Random labels: a phase transition before β = 1 (§7.1, Fig. 2 left)
#
# Each β trains a fresh network (log-uniform prior, multiplicative weight noise w = ŵ·ε,
# ε ~ N(1, α)) on N MNIST images whose labels were replaced by uniform random ones. The
# paper finds a sharp switch from memorisation (error ≈ 0) to chance (≈ 90 %) *before*
# β = 1: memorising one random label costs at least ln 10 nats of weight information and
# saves at most ln 10 nats of cross-entropy. Left: training error of the stochastic network
# (weights sampled) vs β; right: KL/N. The table gives the transition summary per seed
# (β*: midpoint crossing; width: β at 80 % error ÷ β at 20 % error).

# %%
figures.random_labels(R)

# %% [markdown]
# ## 2. Nats per memorised label (Fig. 2 right)
#
# The same images with random and with real labels, over a short β list. We read the KL per
# sample at the most compressed memorising solution (the largest β whose random-label
# training error is ≤ 10 %). The paper reports about 3 nats per random-label sample, against
# the minimum of ln 10 = 2.30 nats; real labels need much less, since the image predicts the
# label.

# %%
figures.label_information(R)

# %% [markdown]
# ## 3. Information grows with the data set (Fig. 1)
#
# Random labels at a fixed β = 0.1 for several N: while the labels stay memorised, the
# information in the weights must grow at least like N · ln 10 (dashed line).

# %%
figures.dataset_size(R)

# %% [markdown]
# ## 4. A non-vacuous PAC-Bayes bound (§4)
#
# At β = 1 the IB Lagrangian is a PAC-Bayes objective. A Gaussian-posterior network trained on
# binary MNIST (digits 0–4 vs 5–9) with prior N(w₀, 0.1²) centred at its random
# initialisation gives the Langford–Seeger kl bound and McAllester's bound on the test error
# of the stochastic classifier (δ = 0.05 in total, of which half covers the Monte-Carlo
# estimate of the training error). A useful bound is below 1 and above the test error.

# %%
figures.pac_bayes(R)

# %% [markdown]
# ## 5. Fisher information over training (Achille, Rovere & Soatto 2019, Fig. 3)
#
# Trace of the Fisher information of the weights (y drawn from the network's own output,
# exact expectation over the classes; x a fixed probe set of training images) while a ReLU MLP
# trains with SGD on real MNIST labels. The papers report a steep early rise — the network
# takes in information — followed by a decrease as training continues. The true-label
# variant (empirical gradient outer product) is shown for comparison; the claim is on the
# first.

# %%
figures.fisher(R)

# %%
R.deviations()

# %%
R.provenance()
