"""Achille & Soatto (JMLR 2018) and follow-ups: experiment name → run function."""

from replications.achille2018 import fisher_dynamics, label_information, pac_bound, random_labels

EXPERIMENTS = {
    "random_labels": random_labels.run,
    "random_labels_gaussian": random_labels.run,
    "label_information": label_information.run,
    "pac_bayes": pac_bound.run,
    "fisher": fisher_dynamics.run,
}
