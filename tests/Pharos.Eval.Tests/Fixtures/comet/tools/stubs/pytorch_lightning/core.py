# LightningModule reduced to what COMET's models use at inference and when saving/loading checkpoints.
import inspect

import torch
import yaml

from .utilities.parsing import AttributeDict

LIGHTNING_VERSION = "2.99.0+pharos-stub"


class LightningModule(torch.nn.Module):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.__dict__["_hparams"] = AttributeDict()
        self.trainer = None

    @property
    def hparams(self):
        return self._hparams

    def save_hyperparameters(self):
        # Like Lightning: the arguments of every __init__ of this object on the call stack (the caller's and those
        # of the subclasses that called it through super()), outer classes overriding inner ones, merged into what
        # earlier calls saved.
        frames = []
        frame = inspect.currentframe().f_back
        while frame is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is self:
            frames.append(frame)
            frame = frame.f_back
        saved = {}
        for frame in frames:
            info = inspect.getargvalues(frame)
            for name in info.args[1:]:
                saved[name] = info.locals[name]
            if info.keywords and info.locals.get(info.keywords):
                saved.update(info.locals[info.keywords])
        self._hparams.update(saved)

    def log(self, *args, **kwargs):
        pass

    def log_dict(self, *args, **kwargs):
        pass

    def on_load_checkpoint(self, checkpoint):
        pass

    def on_predict_start(self):
        pass

    def to_checkpoint(self):
        """The dictionary Lightning's Trainer.save_checkpoint writes for a model that was never trained further."""
        return {
            "epoch": 0,
            "global_step": 0,
            "pytorch-lightning_version": LIGHTNING_VERSION,
            "state_dict": self.state_dict(),
            "loops": {},
            "callbacks": {},
            "optimizer_states": [],
            "lr_schedulers": [],
            "hparams_name": "kwargs",
            "hyper_parameters": AttributeDict(self.hparams),
        }

    @classmethod
    def load_from_checkpoint(cls, checkpoint_path, map_location=None, hparams_file=None, strict=True, **kwargs):
        checkpoint = torch.load(checkpoint_path, map_location=map_location, weights_only=False)
        hparams = dict(checkpoint.get("hyper_parameters", {}))
        if hparams_file is not None:
            with open(hparams_file) as f:
                hparams = yaml.load(f.read(), Loader=yaml.FullLoader)
        hparams.update(kwargs)
        accepted = inspect.signature(cls.__init__).parameters
        takes_any = any(p.kind == p.VAR_KEYWORD for p in accepted.values())
        if not takes_any:
            hparams = {k: v for k, v in hparams.items() if k in accepted}
        model = cls(**hparams)
        model.on_load_checkpoint(checkpoint)
        model.load_state_dict(checkpoint["state_dict"], strict=strict)
        return model
