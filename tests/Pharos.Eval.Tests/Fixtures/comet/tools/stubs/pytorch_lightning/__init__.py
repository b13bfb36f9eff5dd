# Stand-in for the parts of pytorch_lightning that COMET's inference path touches (Lightning is not packaged by
# Debian and PyPI is unreachable here). Written for Pharos; behaviour follows Lightning 2.x's documented semantics:
# save_hyperparameters merges the calling __init__'s arguments into an AttributeDict, load_from_checkpoint rebuilds the
# class from the checkpoint's "hyper_parameters" (filtered to the constructor's parameters) and loads "state_dict",
# Trainer.predict runs predict_step over the loader in inference mode. Training, logging and distribution are absent.
import random

import numpy as np
import torch

from .core import LightningModule
from .trainer.trainer import Trainer
from . import callbacks  # noqa: F401  (COMET reaches ptl.callbacks.progress.tqdm_progress)
from .utilities.parsing import AttributeDict  # noqa: F401

__version__ = "2.99.0+pharos-stub"


def seed_everything(seed=None, workers=False):
    seed = 0 if seed is None else int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return seed
