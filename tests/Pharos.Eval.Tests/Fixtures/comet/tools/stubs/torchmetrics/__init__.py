# Stand-in for torchmetrics (not packaged by Debian): COMET builds its training metrics in every model's
# constructor; prediction never updates or computes them, so only construction and state registration exist.
import torch


class Metric(torch.nn.Module):
    def __init__(self, **kwargs):
        super().__init__()

    def add_state(self, name, default, dist_reduce_fx=None, persistent=False):
        setattr(self, name, list(default) if isinstance(default, list) else default)
