# %% [markdown]
# # Saxe et al. (ICLR 2018): On the Information Bottleneck Theory of Deep Learning
#
# Does deep learning go through a "compression phase" in which the mutual information
# I(X;T) between input and hidden layer falls? Saxe et al. argue that compression comes from
# saturating nonlinearities (and the binning used to measure it), not from SGD noise or
# generalisation. Each section below re-runs one of their experiments.

# %%
from ibcore.notebook import Results
from replications.saxe2018 import figures

R = Results.load("saxe2018")
R.verdict_table()

# %% [markdown]
# ## Three-neuron model (§2, Fig. 2C–D; App. C, Fig. 13)
#
# X ~ N(0, 1), h = f(wX), T = bin(h). T is a function of X, so I(T;X) = H(T), computed
# exactly from Gaussian CDF differences. The paper's Fig. 2C shows the tanh curve rising and
# then falling once the unit saturates (most of the mass lands in the two end bins); Fig. 2D
# shows the ReLU curve rising throughout. Fig. 13 shows that with bin edges evenly spaced in
# *net input* the tanh curve no longer falls: the fall is a property of the binning.

# %%
figures.three_neuron(R)

# %%
R.deviations()

# %%
R.provenance()
