"""gupta2021 (EDGE vs HSIC information planes): experiment name -> run function."""

from replications.gupta2021 import accuracy, planes, runtime

EXPERIMENTS = {
    "edge_accuracy": accuracy.run,
    "edge_runtime": runtime.run,
    "planes_relu": planes.run,
    "planes_tanh": planes.run,
}
