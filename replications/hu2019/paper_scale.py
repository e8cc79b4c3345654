"""The published VID tables (Ahn et al., CVPR 2019, Tables 1, 3, 4): CIFAR-10, CUB-200, MIT-67.

Runnable only where the data sets and a CUDA GPU exist; `require` raises a clear error
otherwise (never a fabricated number). Data layout: `$IBREP_DATA/cifar10` (torchvision's
CIFAR10 files), `$IBREP_DATA/cub200/{train,test}` and `$IBREP_DATA/mit67/{train,test}`
(ImageFolder trees). The ImageNet-pretrained ResNet-34 teacher comes from torchvision's
weights, which are downloaded on first use.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ibcore.context import RunContext
from ibcore.nn.distill import FitNetLoss, KDLoss, NSTLoss, VIDLoss
from ibcore.nn.wrn import wrn_40_2
from ibcore.train.loader_fit import fit_loader
from replications.hu2019.at_scale import ATMeanLoss

RESNET_HINTS = ["layer1", "layer2", "layer3", "layer4"]
VGG9_HINTS = ["5", "12", "19"]  # the ReLU after each pair of VGG-9 convs (64, 128, 256 ch)
DATASETS = {"cifar10": "cifar10", "cub200": "cub200", "mit67": "mit67"}


def require(dataset: str) -> Path:
    """The data directory of `dataset`, or an error saying exactly what is missing."""
    if not torch.cuda.is_available():
        raise RuntimeError(f"hu2019 {dataset}: the published-scale VID experiment needs a CUDA "
                           "GPU and none is available; these claims stay not_run here.")
    home = Path(os.environ.get("IBREP_DATA", Path.home() / ".cache" / "ibrep")).expanduser()
    root = home / DATASETS[dataset]
    if not root.exists():
        raise FileNotFoundError(f"hu2019 {dataset}: data not found at {root} (see "
                                "replications/hu2019/paper_scale.py for the expected layout).")
    return root


class MLPStudent(nn.Module):
    """CIFAR-10 MLP student: `depth` hidden layers of `width` (Ahn et al. Table 1)."""

    def __init__(self, width: int, depth: int = 3, num_classes: int = 10) -> None:
        super().__init__()
        dims = [3 * 32 * 32] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.bns = nn.ModuleList(nn.BatchNorm1d(width) for _ in range(depth))
        self.out = nn.Linear(width, num_classes)

    def forward_with_features(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """(logits, [last hidden layer]) — the vector that faces the teacher's hint."""
        h = x.flatten(1)
        for lin, bn in zip(self.hidden, self.bns):
            h = F.relu(bn(lin(h)))
        return self.out(h), [h]


def vgg9(num_classes: int) -> nn.Module:
    """VGG-9: six 3×3 conv layers (64-64-128-128-256-256, pooled in pairs) + three FC."""
    layers, c = [], 3
    for width in (64, 64, "M", 128, 128, "M", 256, 256, "M"):
        if width == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()]
            c = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(c * 16, 512),
                         nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, num_classes))


class Hooked(nn.Module):
    """Wrap a torchvision-style model so it returns (logits, [features of named modules])."""

    def __init__(self, model: nn.Module, names: list[str]) -> None:
        super().__init__()
        self.model, self.names, self._feats = model, names, {}
        modules = dict(model.named_modules())
        for name in names:
            modules[name].register_forward_hook(self._keep(name))

    def _keep(self, name: str):
        def hook(_m, _i, out):
            self._feats[name] = out
        return hook

    def forward_with_features(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        logits = self.model(x)
        return logits, [self._feats[n] for n in self.names]


def method_terms(method: str, s_ch: list[int], t_ch: list[int], conv: list[bool],
                 cfg: dict) -> list[tuple[nn.Module, int, float]]:
    """(loss, hint index, weight) for each paired student/teacher layer; index −1 = logits."""
    pairs = range(len(t_ch))
    table = {
        "student": [],
        "kd": [(KDLoss(cfg["kd_temperature"]), -1, cfg["kd_alpha"])],
        "fitnet": [(FitNetLoss(s_ch[i], t_ch[i], conv[i]), i, cfg["lam_fitnet"]) for i in pairs],
        "at": [(ATMeanLoss(), i, cfg["lam_at"]) for i in pairs if conv[i]],
        "nst": [(NSTLoss(), i, cfg["lam_nst"]) for i in pairs if conv[i]],
        "vid": [(VIDLoss(s_ch[i], t_ch[i], conv[i], hidden=t_ch[i]), i, cfg["lam_vid"])
                for i in pairs],
    }
    return table[method]


def distill(teacher: nn.Module, student: nn.Module, terms: list, loaders: tuple, cfg: dict,
            device: str) -> float:
    """SGD on the student's CE + Σ λ·transfer terms (`ibcore.train.loader_fit.fit_loader`);
    returns test top-1 accuracy (%)."""
    train, test = loaders
    mods = nn.ModuleList([t[0] for t in terms]).to(device)
    model = nn.ModuleDict({"student": student, "terms": mods})
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=cfg["wd"],
                          nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, cfg["epochs"])
    teacher.eval()

    def loss_fn(_m: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            t_logits, t_feats = teacher.forward_with_features(x)
        s_logits, s_feats = student.forward_with_features(x)
        loss = F.cross_entropy(s_logits, y)
        for mod, i, lam in terms:
            s, t = (s_logits, t_logits) if i < 0 else (s_feats[i], t_feats[i])
            loss = loss + lam * mod(s, t)
        return loss

    fit_loader(model, opt, loss_fn, train, n_epochs=cfg["epochs"], device=device,
               scheduler=sched)
    return evaluate(student, test, device)


@torch.no_grad()
def evaluate(model: nn.Module, loader, device: str) -> float:
    model.eval()
    right = total = 0
    for x, y in loader:
        logits = model.forward_with_features(x.to(device))[0]
        right += (logits.argmax(1).cpu() == y).sum().item()
        total += len(y)
    return 100.0 * right / total


def run_cifar10(cfg: dict, ctx: RunContext) -> dict:
    """Table 1: WRN-40-2 teacher → MLP students of several widths on CIFAR-10."""
    root = require("cifar10")
    import torchvision
    from torchvision import transforms as T

    norm = T.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261))
    aug = T.Compose([T.RandomCrop(32, 4), T.RandomHorizontalFlip(), T.ToTensor(), norm])
    tr = torchvision.datasets.CIFAR10(root, train=True, transform=aug, download=False)
    te = torchvision.datasets.CIFAR10(root, train=False, transform=T.Compose([T.ToTensor(), norm]))
    gen = ctx.torch_generator(0)
    loaders = (torch.utils.data.DataLoader(tr, cfg["batch"], shuffle=True, generator=gen,
                                           num_workers=4),
               torch.utils.data.DataLoader(te, 256, num_workers=4))
    device = "cuda"
    teacher = WRNTeacher().to(device)
    distill(NoTeacher(), teacher, [], loaders, {**cfg, "epochs": cfg["teacher_epochs"]}, device)
    acc: dict[str, dict[str, float]] = {}
    for method in cfg["methods"]:
        acc[method] = {}
        for j, width in enumerate(cfg["widths"]):
            torch.manual_seed(ctx.seed * 1000 + j)  # same student for every method
            student = MLPStudent(width).to(device)
            # hint: last WRN group (128 × 8 × 8, flattened) ← last hidden layer (vector)
            terms = method_terms(method, [width], [128 * 64], [False], cfg)
            acc[method][f"w{width}"] = distill(FlatTeacher(teacher), student, terms, loaders,
                                               cfg, device)
    return {"acc": acc}


class WRNTeacher(nn.Module):
    """WRN-40-2 exposing `forward_with_features` with its last group as the hint."""

    def __init__(self) -> None:
        super().__init__()
        self.net = wrn_40_2()

    def forward_with_features(self, x):
        logits, feats = self.net.forward_with_features(x)
        return logits, [feats[-1]]


class FlatTeacher(nn.Module):
    """A teacher whose hint maps are flattened to vectors (for MLP students)."""

    def __init__(self, teacher: nn.Module) -> None:
        super().__init__()
        self.teacher = teacher

    def forward_with_features(self, x):
        logits, feats = self.teacher.forward_with_features(x)
        return logits, [f.flatten(1) for f in feats]


class NoTeacher(nn.Module):
    """Stand-in teacher for plain supervised training (no transfer terms)."""

    def forward_with_features(self, x):
        return torch.zeros(len(x), 1, device=x.device), []


def run_transfer_table(dataset: str, cfg: dict, ctx: RunContext) -> dict:
    """Tables 3–4: ImageNet ResNet-34 teacher (fine-tuned on the target) → student trained on
    k images per class, for each method; student is ResNet-18 (CUB-200) or VGG-9 (MIT-67)."""
    root = require(dataset)
    import torchvision
    from torchvision import transforms as T

    norm = T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
    aug = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(), norm])
    plain = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), norm])
    full = torchvision.datasets.ImageFolder(root / "train", aug)
    test = torch.utils.data.DataLoader(torchvision.datasets.ImageFolder(root / "test", plain), 64,
                                       num_workers=4)
    n_cls, device = len(full.classes), "cuda"
    weights = torchvision.models.ResNet34_Weights.IMAGENET1K_V1
    targets = np.array(full.targets)
    acc: dict[str, dict[str, float]] = {m: {} for m in cfg["methods"]}
    for k in cfg["per_class"]:
        rng = ctx.numpy_rng(1, k)
        idx = np.concatenate([rng.permutation(np.flatnonzero(targets == c))[:k]
                              for c in range(n_cls)])
        train = torch.utils.data.DataLoader(torch.utils.data.Subset(full, idx.tolist()),
                                            cfg["batch"], shuffle=True,
                                            generator=ctx.torch_generator(2, k), num_workers=4)
        # a fresh ImageNet teacher per data size, fine-tuned on the same k images per class
        t_net = torchvision.models.resnet34(weights=weights)
        t_net.fc = nn.Linear(t_net.fc.in_features, n_cls)
        teacher = Hooked(t_net, RESNET_HINTS).to(device)
        distill(NoTeacher(), teacher, [], (train, test),
                {**cfg, "epochs": cfg["teacher_epochs"]}, device)
        for method in cfg["methods"]:
            torch.manual_seed(ctx.seed * 1000 + k)  # same student for every method
            if dataset == "cub200":
                s_net = torchvision.models.resnet18(num_classes=n_cls)
                student = Hooked(s_net, RESNET_HINTS)
                s_ch = [64, 128, 256, 512]
            else:
                s_net = vgg9(n_cls)
                student = Hooked(s_net, VGG9_HINTS)
                s_ch = [64, 128, 256]
            t_ch = [64, 128, 256, 512][: len(s_ch)]
            terms = method_terms(method, s_ch, t_ch, [True] * len(s_ch), cfg)
            acc[method][f"k{k}"] = distill(teacher, student.to(device), terms, (train, test),
                                           cfg, device)
    return {"acc": acc}


def run_cub200(cfg: dict, ctx: RunContext) -> dict:
    return run_transfer_table("cub200", cfg, ctx)


def run_mit67(cfg: dict, ctx: RunContext) -> dict:
    return run_transfer_table("mit67", cfg, ctx)
