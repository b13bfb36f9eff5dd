# Trainer reduced to predict(): one process, the model's own device, predict_step per batch in inference mode.
import torch


class Trainer:
    def __init__(self, devices=None, logger=False, callbacks=None, accelerator="cpu", strategy="auto",
                 enable_progress_bar=False, **kwargs):
        self.callbacks = callbacks or []
        self.is_global_zero = True
        self.num_devices = 1

    def predict(self, model, dataloaders=None, return_predictions=True):
        model.trainer = self
        model.on_predict_start()
        device = next(model.parameters()).device
        outputs = []
        with torch.inference_mode():
            for index, batch in enumerate(dataloaders):
                outputs.append(model.predict_step(_to(batch, device), index))
        return outputs if return_predictions else None


def _to(batch, device):
    if torch.is_tensor(batch) or hasattr(batch, "to"):
        return batch.to(device)
    if isinstance(batch, dict):
        return {k: _to(v, device) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(_to(v, device) for v in batch)
    return batch
