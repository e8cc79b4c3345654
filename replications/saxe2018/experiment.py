"""Saxe et al. (ICLR 2018): experiment name → run function (see docs/CONTRACTS.md)."""

from replications.saxe2018 import three_neuron

EXPERIMENTS = {
    "three_neuron": three_neuron.run,
}
