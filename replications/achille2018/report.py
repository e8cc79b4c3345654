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
# ## 1. Random labels: a phase transition just before β = 1 (§7.1, Fig. 2 left; Fig. 1)
#
# Each β trains a network with the paper's posterior — multiplicative log-normal weight noise
# w = ŵ·ε, log ε ~ N(−α/2, α), log-uniform prior, KL = −½ Σ log α up to a constant — on N MNIST
# images whose labels were replaced by uniform random ones. All β points of one N train as one
# stack. The paper finds a sharp switch from memorisation (error ≈ 0) to chance (≈ 90 %) just
# before β = 1, for every N: memorising one random label costs at least ln 10 nats of weight
# information and saves at most ln 10 nats of cross-entropy. Left: training error of the
# stochastic network (weights sampled) vs β, one colour per N; right: KL/N. The table gives
# the transition summary per seed and N (β*: midpoint crossing; width: β at 80 % error ÷ β at
# 20 % error).

# %%
figures.random_labels(R)

# %% [markdown]
# ### The Gaussian-noise arm
#
# The same sweep (N = 500 only, fewer seeds, no claims) with the noise model of our earlier
# version: ε ~ N(1, α), KL by Molchanov et al.'s approximation. Its KL has a different
# constant, so only the shape of the curves compares.

# %%
figures.random_labels_gaussian(R)

# %% [markdown]
# ## 2. Information grows with the data set (Fig. 1)
#
# From the same sweep, the KL at the fixed β = 0.1 for each N: while the labels stay memorised,
# the information in the weights must grow at least like N · ln 10 (dashed line).

# %%
figures.dataset_size(R)

# %% [markdown]
# ## 3. Information vs the fraction of corrupted labels (Fig. 2 right)
#
# The same images with a fraction p of their labels replaced by random ones (nested sets), one
# network per p, all at β = 0.1 (fixed before running). The paper finds the information
# growing with p and, for p = 1, about 3 nats per sample more than for real labels — "of the
# same order as ln 10 = 2.30". The claim is on that difference, which cancels the arbitrary
# constant of the improper log-uniform prior; the absolute value is only a diagnostic.

# %%
figures.label_information(R)

# %% [markdown]
# ## 4. A non-vacuous PAC-Bayes bound (§4)
#
# At β = 1 the IB Lagrangian is a PAC-Bayes objective. A Gaussian-posterior network trained on
# binary MNIST (digits 0–4 vs 5–9) with prior N(w₀, 0.1²) centred at its random
# initialisation gives three bounds on the test error of the stochastic classifier (δ = 0.05
# in total, of which half covers the Monte-Carlo estimate of the training error):
# Langford–Seeger's kl bound, McAllester's square-root bound and the linear form
# 1/(1 − 1/(2λ))·[ê + λ(KL + ln 1/δ)/N] at λ = 1. Guessing already has error 0.5 on this
# balanced task, so a bound says something only below 0.5.

# %%
figures.pac_bayes(R)

# %% [markdown]
# ## 5. Fisher information over training (Achille, Rovere & Soatto 2019, Fig. 3)
#
# Trace of the Fisher information of the weights (y drawn from the network's own output,
# exact expectation over the classes; x a fixed probe set of 200 training images) while a
# 196-256-256-10 ReLU MLP trains with SGD (momentum 0.9, batch 128, lr 0.05) on 10,000 real
# MNIST images. Two networks from the same initialisation and minibatches: the follow-up's
# setting (weight decay 5·10⁻⁴, learning rate × 0.97 per epoch; the claim) and plain SGD
# without weight decay (a check: there the trace falls as the softmax saturates on the
# training images, almost whatever is learnt).

# %%
figures.fisher(R)

# %%
R.deviations()

# %%
R.provenance()
